package audit_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/audit"
)

type contact struct {
	Kind  string
	Value string
}

type employee struct {
	Name     string
	Level    int
	Key      bool
	Score    float64
	Manager  *string
	HiredAt  time.Time
	Contacts []contact
	Tags     map[string]string
	Address  struct{ City, Street string }
	secret   string
}

func TestDiff_ReportsEachChangedField(t *testing.T) {
	t.Parallel()
	boss := "boss-1"
	hired := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	base := func() employee {
		return employee{
			Name: "Li Na", Level: 3, Score: 4.5, Manager: &boss, HiredAt: hired,
			Contacts: []contact{{"email", "li@example.com"}, {"phone", "123"}},
			Tags:     map[string]string{"team": "sales"},
			secret:   "a",
		}
	}
	tests := []struct {
		name   string
		before any
		after  func() any
		want   []audit.Change
	}{
		{
			name:   "equal values give nothing",
			before: base(),
			after:  func() any { return base() },
		},
		{
			name:   "scalars",
			before: base(),
			after: func() any {
				e := base()
				e.Name, e.Level, e.Key, e.Score = "Li Na Wang", 4, true, 4.75
				return e
			},
			want: []audit.Change{
				{Path: "Name", Before: "Li Na", After: "Li Na Wang"},
				{Path: "Level", Before: "3", After: "4"},
				{Path: "Key", Before: "false", After: "true"},
				{Path: "Score", Before: "4.5", After: "4.75"},
			},
		},
		{
			name:   "pointers to structs are followed; nil pointer field",
			before: func() *employee { e := base(); return &e }(),
			after: func() any {
				e := base()
				e.Manager = nil
				return &e
			},
			want: []audit.Change{{Path: "Manager", Before: "boss-1"}},
		},
		{
			name:   "time compared with Equal and rendered in RFC 3339",
			before: base(),
			after: func() any {
				e := base()
				e.HiredAt = hired.Add(24 * time.Hour).In(time.FixedZone("CST", 8*3600))
				return e
			},
			want: []audit.Change{{Path: "HiredAt", Before: "2024-03-01T09:00:00Z", After: "2024-03-02T17:00:00+08:00"}},
		},
		{
			name:   "same instant in another zone is no change",
			before: base(),
			after: func() any {
				e := base()
				e.HiredAt = hired.In(time.FixedZone("CST", 8*3600))
				return e
			},
		},
		{
			name:   "slice element field",
			before: base(),
			after: func() any {
				e := base()
				e.Contacts = []contact{{"email", "li@example.com"}, {"phone", "456"}}
				return e
			},
			want: []audit.Change{{Path: "Contacts[1].Value", Before: "123", After: "456"}},
		},
		{
			name:   "slice element added",
			before: base(),
			after: func() any {
				e := base()
				e.Contacts = append(e.Contacts, contact{"wechat", "lina"})
				return e
			},
			want: []audit.Change{{Path: "Contacts[2]", After: `{"Kind":"wechat","Value":"lina"}`}},
		},
		{
			name:   "slice element removed",
			before: base(),
			after: func() any {
				e := base()
				e.Contacts = e.Contacts[1:]
				return e
			},
			want: []audit.Change{{Path: "Contacts[0]", Before: `{"Kind":"email","Value":"li@example.com"}`}},
		},
		{
			name:   "map keys changed, added and removed",
			before: base(),
			after: func() any {
				e := base()
				e.Tags = map[string]string{"team": "key accounts", "vip": "yes"}
				return e
			},
			want: []audit.Change{
				{Path: `Tags["team"]`, Before: "sales", After: "key accounts"},
				{Path: `Tags["vip"]`, After: "yes"},
			},
		},
		{
			name:   "nested anonymous struct",
			before: base(),
			after: func() any {
				e := base()
				e.Address.City = "Shanghai"
				return e
			},
			want: []audit.Change{{Path: "Address.City", After: "Shanghai"}},
		},
		{
			name:   "unexported fields are ignored",
			before: base(),
			after: func() any {
				e := base()
				e.secret = "b"
				return e
			},
		},
		{
			name:   "nil before is a create: non-zero fields of after",
			before: nil,
			after: func() any {
				return &contact{Kind: "email", Value: "x@example.com"}
			},
			want: []audit.Change{{Path: "Kind", After: "email"}, {Path: "Value", After: "x@example.com"}},
		},
		{
			name:   "nil after is a delete: non-zero fields of before",
			before: contact{Kind: "phone"},
			after:  func() any { return (*contact)(nil) },
			want:   []audit.Change{{Path: "Kind", Before: "phone"}},
		},
		{
			name:   "both nil",
			before: nil,
			after:  func() any { return nil },
		},
		{
			name:   "different types give one root change",
			before: "a",
			after:  func() any { return 1 },
			want:   []audit.Change{{Before: "a", After: "1"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := audit.Diff(tt.before, tt.after())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Diff() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
