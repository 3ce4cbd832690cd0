package storage

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/audit"
)

func TestDecodeChanges_RoundTripsWhatEncodeWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cs   []audit.Change
	}{
		{"none", nil},
		{"one", []audit.Change{{Path: "Level", Before: "3", After: "4"}}},
		{"created and deleted fields", []audit.Change{{Path: "Name", After: "Li Na"}, {Path: "Phone", Before: "123"}, {Path: "Empty"}}},
		{"text needing escapes", []audit.Change{{Path: `Tags["vip"]`, Before: "a\\b", After: "<b>&\n\t\u0000"}}},
		{"json-looking values", []audit.Change{{Path: "X", Before: `","after":"`, After: `{"path":"y"}`}}},
		{"unicode", []audit.Change{{Path: "名字", Before: "李娜", After: "李娜 🙂"}}},
	}
	for _, tt := range tests {
		s, err := encodeChanges(tt.cs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.cs, decodeChanges(s)); diff != "" {
			t.Errorf("%s: decodeChanges(%s) (-want +got):\n%s", tt.name, s, diff)
		}
	}
}

func TestDecodeChanges_TamperedTextNeverDecodesSilently(t *testing.T) {
	t.Parallel()
	for _, s := range []string{`[{"path":"a"`, `not json`, `[{"path":"a"},]`, `[{"after":"x","path":"a"}]`} {
		got := decodeChanges(s)
		// Either encoding/json's reading of valid JSON, or the unreadable marker.
		if len(got) == 0 {
			t.Errorf("decodeChanges(%q) = nothing", s)
		}
	}
	// Valid JSON in another key order still decodes to the same values.
	got := decodeChanges(`[{"after":"x","path":"a"}]`)
	if diff := cmp.Diff([]audit.Change{{Path: "a", After: "x"}}, got); diff != "" {
		t.Errorf("reordered keys (-want +got):\n%s", diff)
	}
}
