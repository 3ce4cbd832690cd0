package hr_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

func TestDate_ParsesFormatsAndMarshals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    hr.Date
		wantErr bool
	}{
		{"2024-02-29", hr.NewDate(2024, time.February, 29), false},
		{"", hr.Date{}, false},
		{"2023-02-29", hr.Date{}, true},
		{"2024-2-1", hr.Date{}, true},
		{"yesterday", hr.Date{}, true},
	}
	for _, tt := range tests {
		got, err := hr.ParseDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got.String())
		}
	}
	var v struct{ D, Z hr.Date }
	v.D = hr.NewDate(2025, 12, 31)
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"D":"2025-12-31","Z":""}` {
		t.Fatalf("json = %s, %v", b, err)
	}
	var back struct{ D, Z hr.Date }
	if err := json.Unmarshal(b, &back); err != nil || back != v {
		t.Errorf("round trip = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"31/12/2025"}`), &back); err == nil {
		t.Error("malformed date unmarshalled")
	}
	a, c := hr.NewDate(2025, 1, 31), hr.NewDate(2025, 2, 1)
	if !a.Before(c) || a.After(c) || !c.After(a) || a.Before(a) {
		t.Error("Before/After disagree with the calendar")
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	if got := hr.DateOf(time.Date(2025, 1, 31, 17, 0, 0, 0, time.UTC).In(loc)); got != c {
		t.Errorf("DateOf in Shanghai = %v, want %v", got, c)
	}
}
