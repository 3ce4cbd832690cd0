package assessment_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func TestNew_NamesEveryMissingPart(t *testing.T) {
	t.Parallel()
	_, err := assessment.New(assessment.Config{})
	want := []string{"Audit", "Auth", "HR", "Outbox", "Store", "Tx"}
	if diff := cmp.Diff(want, fields(t, err)); diff != "" {
		t.Errorf("missing parts (-want +got):\n%s", diff)
	}
}

func TestScoreActual_MapsRatiosAndBandsBothWays(t *testing.T) {
	t.Parallel()
	ratio := assessment.Indicator{Kind: assessment.Quantitative, Target: 20, Direction: assessment.HigherIsBetter,
		Mapping: assessment.Mapping{Kind: assessment.MappingRatio, Cap: 100}}
	lower := ratio
	lower.Direction = assessment.LowerIsBetter
	capped := ratio
	capped.Mapping.Cap = 90
	bands := assessment.Indicator{Kind: assessment.Quantitative, Direction: assessment.HigherIsBetter,
		Mapping: assessment.Mapping{Kind: assessment.MappingBands, Bands: []assessment.Band{{60, 60}, {80, 80}, {95, 100}}}}
	lowBands := bands
	lowBands.Direction = assessment.LowerIsBetter
	lowBands.Mapping.Bands = []assessment.Band{{2, 100}, {5, 70}, {10, 40}}
	for _, tc := range []struct {
		name           string
		ind            assessment.Indicator
		actual, target float64
		want           float64
	}{
		{"ratio below target", ratio, 16, 0, 80},
		{"ratio above target is capped", ratio, 30, 0, 100},
		{"ratio with a lower cap", capped, 30, 0, 90},
		{"ratio against the item's own target", ratio, 16, 32, 50},
		{"lower is better: half the target", lower, 10, 0, 100},
		{"lower is better: twice the target", lower, 40, 0, 50},
		{"lower is better: zero is best", lower, 0, 0, 100},
		{"negative actual scores 0", ratio, -5, 0, 0},
		{"band reached", bands, 85, 0, 80},
		{"top band", bands, 99, 0, 100},
		{"below every band", bands, 50, 0, 0},
		{"lower-is-better band", lowBands, 4, 0, 70},
		{"lower-is-better above every band", lowBands, 11, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ind.ScoreActual(tc.actual, tc.target); got != tc.want {
				t.Errorf("ScoreActual(%v, %v) = %v, want %v", tc.actual, tc.target, got, tc.want)
			}
		})
	}
}

func TestCreateIndicator_RefusesBadDefinitionsAndWritesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		quant := func(m func(*assessment.IndicatorParams)) assessment.IndicatorParams {
			p := assessment.IndicatorParams{Code: "revenue", Name: "Revenue", Kind: assessment.Quantitative, Target: 10,
				Mapping: assessment.Mapping{Kind: assessment.MappingRatio}}
			m(&p)
			return p
		}
		for _, tc := range []struct {
			name string
			p    assessment.IndicatorParams
			want []string
		}{
			{"no code, name or kind", assessment.IndicatorParams{}, []string{"code", "kind", "name"}},
			{"code with spaces", quant(func(p *assessment.IndicatorParams) { p.Code = "team revenue" }), []string{"code"}},
			{"ratio without a target", quant(func(p *assessment.IndicatorParams) { p.Target = 0 }), []string{"target"}},
			{"cap above 100", quant(func(p *assessment.IndicatorParams) { p.Mapping.Cap = 120 }), []string{"mapping.cap"}},
			{"unknown direction", quant(func(p *assessment.IndicatorParams) { p.Direction = "up" }), []string{"direction"}},
			{"bands without bands", quant(func(p *assessment.IndicatorParams) { p.Mapping = assessment.Mapping{Kind: assessment.MappingBands} }),
				[]string{"mapping.bands"}},
			{"band score above 100 and a repeated threshold", quant(func(p *assessment.IndicatorParams) {
				p.Mapping = assessment.Mapping{Kind: assessment.MappingBands, Bands: []assessment.Band{{1, 50}, {1, 150}}}
			}), []string{"mapping.bands[1].score", "mapping.bands[1].threshold"}},
			{"quantitative with a scale", quant(func(p *assessment.IndicatorParams) { p.Scale = &assessment.RatingScale{Min: 1, Max: 5} }),
				[]string{"scale"}},
			{"scale upside down", assessment.IndicatorParams{Code: "q", Name: "Q", Kind: assessment.Qualitative,
				Scale: &assessment.RatingScale{Min: 5, Max: 1}}, []string{"scale.max"}},
			{"anchor outside the scale", assessment.IndicatorParams{Code: "q", Name: "Q", Kind: assessment.Qualitative,
				Scale: &assessment.RatingScale{Min: 1, Max: 5, Anchors: []assessment.Anchor{{Value: 7, Label: "x"}}}},
				[]string{"scale.anchors[0].value"}},
			{"scale and dimension", assessment.IndicatorParams{Code: "q", Name: "Q", Kind: assessment.Qualitative,
				Scale: &assessment.RatingScale{Min: 1, Max: 5}, Dimension: "leadership"}, []string{"dimension"}},
			{"qualitative with a target", assessment.IndicatorParams{Code: "q", Name: "Q", Kind: assessment.Qualitative, Target: 3},
				[]string{"mapping"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.CreateIndicator(e.as["hr"], tc.p)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		got, err := e.svc.Indicators(e.as["hr"], assessment.IndicatorQuery{IncludeArchived: true})
		must(t, err)
		if len(got) != 0 {
			t.Errorf("library holds %d indicators after refused creations", len(got))
		}
		_, err = e.svc.CreateIndicator(e.as["head"], quant(func(*assessment.IndicatorParams) {}))
		wantErr(t, "a department head edits the library", err, ballast.ErrForbidden)
	})
}

func TestArchiveIndicator_KeepsItOutOfListsAndNewTemplates(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		_, err := e.svc.CreateIndicator(e.as["hr"], assessment.IndicatorParams{Code: "revenue_growth", Name: "Again", Kind: assessment.Qualitative})
		wantErr(t, "a code used twice", err, ballast.ErrConflict)
		arch, err := e.svc.ArchiveIndicator(e.as["hr"], e.teamwork.ID, true, e.teamwork.Version)
		must(t, err)
		_, err = e.svc.ArchiveIndicator(e.as["hr"], e.teamwork.ID, false, e.teamwork.Version)
		wantErr(t, "archive with a stale version", err, ballast.ErrConflict)
		list, err := e.svc.Indicators(e.as["wang"], assessment.IndicatorQuery{})
		must(t, err)
		var codes []string
		for _, ind := range list {
			codes = append(codes, ind.Code)
		}
		if diff := cmp.Diff([]string{"leadership", "on_time", "revenue_growth"}, codes); diff != "" {
			t.Errorf("active library (-want +got):\n%s", diff)
		}
		_, err = e.svc.UpdateTemplate(e.as["hr"], e.tpl.ID, e.templateParams())
		if diff := cmp.Diff([]string{"categories[1].items[1].indicator_id"}, fields(t, err)); diff != "" {
			t.Errorf("template with an archived indicator (-want +got):\n%s", diff)
		}
		_, err = e.svc.ArchiveIndicator(e.as["hr"], e.teamwork.ID, false, arch.Version)
		must(t, err)
	})
}

func TestTemplate_WeightsMustSumTo100AtEveryLevel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		for _, tc := range []struct {
			name string
			edit func(p *assessment.TemplateParams)
			want []string
		}{
			{"categories sum to 90", func(p *assessment.TemplateParams) { p.Categories[0].Weight = 50 }, []string{"categories"}},
			{"items of a category sum to 110", func(p *assessment.TemplateParams) { p.Categories[1].Items[0].Weight = 70 },
				[]string{"categories[1].items"}},
			{"an override sums to 95", func(p *assessment.TemplateParams) {
				p.Overrides[0].Weights = map[string]float64{"results": 70, "competencies": 25}
			}, []string{"overrides[0].weights"}},
			{"an override misses a category", func(p *assessment.TemplateParams) {
				p.Overrides[0].Weights = map[string]float64{"results": 100}
			}, []string{"overrides[0].weights"}},
			{"a negative weight", func(p *assessment.TemplateParams) {
				p.Categories[0].Items[0].Weight, p.Categories[0].Items[1].Weight = -10, 110
			}, []string{"categories[0].items[0].weight"}},
			{"an indicator twice", func(p *assessment.TemplateParams) {
				p.Categories[1].Items[0].IndicatorID = p.Categories[0].Items[0].IndicatorID
			}, []string{"categories[1].items[0].indicator_id"}},
			{"an unknown indicator", func(p *assessment.TemplateParams) { p.Categories[0].Items[0].IndicatorID = ballast.NewID() },
				[]string{"categories[0].items[0].indicator_id"}},
			{"no categories", func(p *assessment.TemplateParams) { p.Categories = nil; p.Overrides = nil }, []string{"categories"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := e.templateParams()
				tc.edit(&p)
				_, err := e.svc.CreateTemplate(e.as["hr"], p)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				_, err = e.svc.UpdateTemplate(e.as["hr"], e.tpl.ID, p)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("update fields (-want +got):\n%s", diff)
				}
			})
		}
		ts, err := e.svc.Templates(e.as["hr"])
		must(t, err)
		if len(ts) != 1 || ts[0].Version != 1 || ts[0].Status != assessment.TemplatePublished {
			t.Errorf("templates after refused edits = %+v, want only version 1, published", ts)
		}
	})
}

func TestTemplate_PublishingFreezesAVersionAndACycleKeepsItsOwn(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		c := e.open(t)
		p := e.templateParams()
		p.Categories[0].Weight, p.Categories[1].Weight = 50, 50
		v2, err := e.svc.UpdateTemplate(e.as["hr"], e.tpl.ID, p)
		must(t, err)
		if v2.Version != 2 || v2.Status != assessment.TemplateDraft {
			t.Fatalf("edit of a published template = v%d %s, want a v2 draft", v2.Version, v2.Status)
		}
		p.Name = "Managers 2026 (rev)"
		v2, err = e.svc.UpdateTemplate(e.as["hr"], e.tpl.ID, p)
		must(t, err)
		if v2.Version != 2 || v2.Name != "Managers 2026 (rev)" {
			t.Errorf("edit of the draft = v%d %q, want v2 renamed", v2.Version, v2.Name)
		}
		_, err = e.svc.PublishTemplate(e.as["hr"], e.tpl.ID, 1)
		wantErr(t, "publish an old version", err, assessment.ErrWrongState)
		_, err = e.svc.PublishTemplate(e.as["hr"], e.tpl.ID, 2)
		must(t, err)
		v1, err := e.svc.Template(e.as["hr"], e.tpl.ID, 1)
		must(t, err)
		if v1.Categories[0].Weight != 60 || v1.Status != assessment.TemplatePublished {
			t.Errorf("version 1 changed: %+v", v1)
		}
		got, err := e.svc.Cycle(e.as["hr"], c.ID)
		must(t, err)
		if got.TemplateVersion != 1 || got.Plan.Template.Version != 1 || got.Plan.Template.Categories[0].Weight != 60 {
			t.Errorf("open cycle's plan = v%d weight %v, want v1 weight 60", got.TemplateVersion, got.Plan.Template.Categories[0].Weight)
		}
		next, err := e.svc.CreateCycle(e.as["hr"], e.cycleParams())
		must(t, err)
		next, err = e.svc.OpenCycle(e.as["hr"], next.ID, next.Version)
		must(t, err)
		if next.TemplateVersion != 2 {
			t.Errorf("a cycle opened now uses v%d, want v2", next.TemplateVersion)
		}
	})
}

func TestGradeScale_DefaultThenValidatedChanges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		g, err := e.svc.GradeScale(e.as["wang"])
		must(t, err)
		if diff := cmp.Diff(assessment.DefaultGradeScale(), g); diff != "" {
			t.Errorf("default scale (-want +got):\n%s", diff)
		}
		for _, tc := range []struct {
			name   string
			grades []assessment.Grade
			want   []string
		}{
			{"empty", nil, []string{"grades"}},
			{"not descending", []assessment.Grade{{"A", 80}, {"B", 90}, {"C", 0}}, []string{"grades[1].min"}},
			{"lowest above 0", []assessment.Grade{{"A", 90}, {"B", 60}}, []string{"grades[1].min"}},
			{"a name twice", []assessment.Grade{{"A", 90}, {"A", 0}}, []string{"grades[1].name"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.SetGradeScale(e.as["hr"], tc.grades, 0)
				if diff := cmp.Diff(tc.want, fields(t, err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
			})
		}
		g, err = e.svc.SetGradeScale(e.as["hr"], []assessment.Grade{{"S", 95}, {"A", 85}, {"B", 70}, {"C", 0}}, 0)
		must(t, err)
		_, err = e.svc.SetGradeScale(e.as["hr"], []assessment.Grade{{"A", 0}}, 0)
		wantErr(t, "stale version", err, ballast.ErrConflict)
		if got := g.GradeOf(85); got != "A" {
			t.Errorf("GradeOf(85) = %q, want A", got)
		}
		_, err = e.svc.SetGradeScale(e.as["head"], []assessment.Grade{{"A", 0}}, g.Version)
		wantErr(t, "a department head sets the scale", err, ballast.ErrForbidden)
	})
}

func TestDefaultTemplate_Weighs60On40AndIsValid(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.library(t)
		p := assessment.DefaultTemplate("Default", []string{e.revenue.ID, e.onTime.ID}, []string{e.leadership.ID, e.teamwork.ID, e.revenue.ID})
		if p.Categories[0].Weight != 60 || p.Categories[1].Weight != 40 {
			t.Errorf("weights = %v / %v, want 60 / 40", p.Categories[0].Weight, p.Categories[1].Weight)
		}
		_, err := e.svc.CreateTemplate(e.as["hr"], p)
		if diff := cmp.Diff([]string{"categories[1].items[2].indicator_id"}, fields(t, err)); diff != "" {
			t.Errorf("an indicator in both categories (-want +got):\n%s", diff)
		}
		p = assessment.DefaultTemplate("Default", []string{e.revenue.ID, e.onTime.ID}, []string{e.leadership.ID, e.teamwork.ID, e.onTime.ID}[:2])
		_, err = e.svc.CreateTemplate(e.as["hr"], p)
		must(t, err)
		only := assessment.DefaultTemplate("Quantitative", []string{e.revenue.ID, e.onTime.ID, e.leadership.ID}, nil)
		if len(only.Categories) != 1 || only.Categories[0].Weight != 100 {
			t.Errorf("one kind only = %+v, want one category of 100", only.Categories)
		}
		_, err = e.svc.CreateTemplate(e.as["hr"], only)
		must(t, err) // thirds sum to 100
	})
}
