package offboarding_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/offboarding"
	"github.com/ballast-hr/ballast/storage"
)

// Everyone who takes part in a case finds it through MyCases; nobody else
// does, and no permission beyond signing in is needed.
func TestMyCases_ListsTheCasesOneTakesPartIn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.resign(t)
		for _, tt := range []struct {
			who  string
			want []string
		}{
			{"leaver", []string{c.ID}},
			{"manager", []string{c.ID}},
			{"hr", []string{c.ID}},
			{"succ1", []string{c.ID}},
			{"admin", nil},
		} {
			t.Run(tt.who, func(t *testing.T) {
				cs, err := e.svc.MyCases(e.as[tt.who], offboarding.CaseFilter{})
				must(t, err)
				var got []string
				for _, c := range cs {
					got = append(got, c.ID)
				}
				if d := cmp.Diff(tt.want, got); d != "" {
					t.Errorf("MyCases (-want +got):\n%s", d)
				}
			})
		}
		_, err := e.svc.MyCases(e.as["succ1"], offboarding.CaseFilter{Limit: -1})
		if got := fields(t, err); len(got) != 1 || got[0] != "limit" {
			t.Errorf("bad limit: fields %v", got)
		}
	})
}
