package succession_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/succession"
)

func TestRatePotential_RefusesBadInputAndAuditsEachRating(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		r, err := e.svc.RatePotential(e.as["head"], e.zhang.ID, succession.PotentialHigh, "ran the East launch", 0)
		must(t, err)
		if r.Version != 1 || r.RatedBy != e.head.ID {
			t.Errorf("rating = %+v", r)
		}
		for _, tc := range []struct {
			name    string
			as      string
			emp     string
			rating  succession.Potential
			version int64
			want    error
			fields  []string
		}{
			{"UnknownRating", "hr", e.wang.ID, "stellar", 0, ballast.ErrInvalid, []string{"rating"}},
			{"MalformedEmployee", "hr", "x", "", 0, ballast.ErrInvalid, []string{"employee_id", "rating"}},
			{"Departed", "hr", e.departed.ID, succession.PotentialLow, 0, succession.ErrDeparted, nil},
			{"StaleVersion", "hr", e.zhang.ID, succession.PotentialLow, 0, ballast.ErrConflict, nil},
			{"HeadOutsideTheirDepartments", "head", e.chen.ID, succession.PotentialLow, 0, ballast.ErrForbidden, nil},
			{"Employee", "zhang", e.wang.ID, succession.PotentialLow, 0, ballast.ErrForbidden, nil},
			{"AnotherTenant", "otherHR", e.wang.ID, succession.PotentialLow, 0, ballast.ErrNotFound, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.RatePotential(e.as[tc.as], tc.emp, tc.rating, "", tc.version)
				wantErr(t, "rate", err, tc.want)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		r2, err := e.svc.RatePotential(e.as["hr"], e.zhang.ID, succession.PotentialMedium, "calibrated", r.Version)
		must(t, err)
		got, err := e.svc.Potential(e.as["head"], e.zhang.ID)
		must(t, err)
		if d := cmp.Diff(r2, got); d != "" {
			t.Errorf("stored rating (-want +got):\n%s", d)
		}
		_, err = e.svc.Potential(e.as["head"], e.wang.ID)
		wantErr(t, "an unrated employee", err, ballast.ErrNotFound)
		if n := len(e.audits(t, succession.ActionRatePotential)); n != 2 {
			t.Errorf("%d potential entries in the audit, want 2", n)
		}
	})
}

func TestNineBox_PlacesByPerformanceAndPotential(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		e.perf(t, e.zhang, 70, 95, 90) // latest 90, last three 85
		e.perf(t, e.wang, 80)
		e.perf(t, e.head, 60)
		e.perf(t, e.chen, 99) // R&D: never on the Sales grid
		for _, x := range []struct {
			emp hr.Employee
			p   succession.Potential
		}{{e.zhang, succession.PotentialHigh}, {e.wang, succession.PotentialMedium}, {e.chen, succession.PotentialHigh}} {
			_, err := e.svc.RatePotential(e.as["hr"], x.emp.ID, x.p, "", 0)
			must(t, err)
		}
		// 刘强 has a score but no rating: unplaced.
		type cell struct {
			Perf, Pot succession.Level
			Names     string
		}
		cells := func(g succession.Grid) []cell {
			var out []cell
			for pf := range 3 {
				for pt := range 3 {
					var ns []string
					for _, b := range g.Cells[pf][pt] {
						ns = append(ns, b.Name)
					}
					if len(ns) > 0 {
						out = append(out, cell{succession.Level(pf), succession.Level(pt), strings.Join(ns, ",")})
					}
				}
			}
			return out
		}
		for _, tc := range []struct {
			name string
			as   string
			opts succession.BoxOptions
			want []cell
		}{
			{"LatestScoreDefaultThresholds", "head", succession.BoxOptions{},
				[]cell{{succession.Mid, succession.Mid, "王丽"}, {succession.High, succession.High, "Zhang San"}}},
			{"AverageOfThreePeriods", "hr", succession.BoxOptions{Periods: 3, MidFrom: 75, HighFrom: 86},
				[]cell{{succession.Mid, succession.Mid, "王丽"}, {succession.Mid, succession.High, "Zhang San"}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				g, err := e.svc.NineBox(e.as[tc.as], e.sales.ID, tc.opts)
				must(t, err)
				if d := cmp.Diff(tc.want, cells(g)); d != "" {
					t.Errorf("cells (-want +got):\n%s", d)
				}
				if len(g.Unplaced) != 1 || g.Unplaced[0].Name != "刘强" || g.Unplaced[0].Performance == nil || *g.Unplaced[0].Performance != 60 {
					t.Errorf("unplaced = %+v, want 刘强 with 60", g.Unplaced)
				}
			})
		}
		for _, tc := range []struct {
			name string
			as   string
			dept string
			opts succession.BoxOptions
			want error
		}{
			{"BadThresholds", "hr", e.sales.ID, succession.BoxOptions{MidFrom: 90, HighFrom: 80}, ballast.ErrInvalid},
			{"TooManyPeriods", "hr", e.sales.ID, succession.BoxOptions{Periods: 21}, ballast.ErrInvalid},
			{"UnknownDepartment", "hr", ballast.NewID(), succession.BoxOptions{}, ballast.ErrNotFound},
			{"HeadOfAnotherDepartment", "head", e.rnd.ID, succession.BoxOptions{}, ballast.ErrForbidden},
			{"Employee", "zhang", e.sales.ID, succession.BoxOptions{}, ballast.ErrForbidden},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.NineBox(e.as[tc.as], tc.dept, tc.opts)
				wantErr(t, "9-box", err, tc.want)
			})
		}
	})
}

func TestWriteSVG_EscapesEveryText(t *testing.T) {
	t.Parallel()
	score := 90.0
	var g succession.Grid
	g.Cells[succession.High][succession.High] = []succession.BoxEntry{{Name: `<script>alert("x")</script> & Co`, Performance: &score}}
	for range 8 {
		g.Cells[succession.Low][succession.Mid] = append(g.Cells[succession.Low][succession.Mid], succession.BoxEntry{Name: "n"})
	}
	var b bytes.Buffer
	must(t, succession.WriteSVG(&b, g, succession.SVGLabels{Potential: "潜力 <high>", More: "+%d <more>"}))
	out := b.String()
	for _, bad := range []string{"<script>", "<high>", "<more>"} {
		if strings.Contains(out, bad) {
			t.Errorf("SVG contains unescaped %q", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co", "潜力 &lt;high&gt;", "+2 &lt;more&gt;", "Performance"} {
		if !strings.Contains(out, good) {
			t.Errorf("SVG lacks %q", good)
		}
	}
	// It is well-formed XML.
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v", err)
		}
	}
}
