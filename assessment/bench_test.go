package assessment_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

var benchBackends = []string{"sqlite", "postgres"}

func benchDB(b *testing.B, backend string) *storage.DB {
	b.Helper()
	if backend == "postgres" && os.Getenv(dbtest.EnvPostgres) == "" {
		b.Skip(dbtest.EnvPostgres + " not set")
	}
	return dbtest.Open(b, backend)
}

// seedCalibration builds a cycle in calibration with n participants of
// the Sales department, each scored by the manager on 12 indicators (8
// quantitative actuals, 4 ratings): n employees in bulk through hr's
// store, the cycle opened through the Service, the entries in bulk through
// the assessment store.
func seedCalibration(b *testing.B, e *env, n int) assessment.Cycle {
	b.Helper()
	hrc := e.as["hr"]
	var quant, qual []assessment.Item
	var inds []assessment.Indicator
	for i := range 12 {
		p := assessment.IndicatorParams{Code: fmt.Sprintf("k%02d", i), Name: fmt.Sprintf("Indicator %d", i), Kind: assessment.Qualitative}
		if i < 8 {
			p = assessment.IndicatorParams{Code: p.Code, Name: p.Name, Kind: assessment.Quantitative, Target: 100,
				Mapping: assessment.Mapping{Kind: assessment.MappingRatio, Cap: 100}}
		}
		ind, err := e.svc.CreateIndicator(hrc, p)
		must(b, err)
		inds = append(inds, ind)
		if i < 8 {
			quant = append(quant, assessment.Item{IndicatorID: ind.ID, Weight: 12.5})
		} else {
			qual = append(qual, assessment.Item{IndicatorID: ind.ID, Weight: 25})
		}
	}
	tpl, err := e.svc.CreateTemplate(hrc, assessment.TemplateParams{Name: "Bench", Categories: []assessment.Category{
		{Key: "results", Name: "Results", Weight: 60, Items: quant}, {Key: "competencies", Name: "Competencies", Weight: 40, Items: qual}}})
	must(b, err)
	tpl, err = e.svc.PublishTemplate(hrc, tpl.ID, 1)
	must(b, err)
	now := time.Now().UTC()
	emps := make([]hr.Employee, n)
	for i := range emps {
		emps[i] = hr.Employee{ID: ballast.NewID(), Number: fmt.Sprintf("B%06d", i), Name: fmt.Sprintf("Bench %d", i),
			DepartmentID: e.sales.ID, ManagerID: e.head.ID, HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus,
			Status: hr.StatusActive, CreatedAt: now, UpdatedAt: now, Version: 1}
	}
	must(b, e.db.HR().InsertEmployees(e.sys, e.tenant, emps))
	p := e.cycleParams()
	p.TemplateID, p.Selection = tpl.ID, assessment.Selection{DepartmentIDs: []string{e.sales.ID}}
	c, err := e.svc.CreateCycle(hrc, p)
	must(b, err)
	c, err = e.svc.OpenCycle(hrc, c.ID, c.Version)
	must(b, err)
	c, err = e.svc.StartManagerReview(hrc, c.ID, c.Version)
	must(b, err)
	ps, err := e.db.Assessment().ListParticipants(e.sys, e.tenant, assessment.ParticipantQuery{CycleID: c.ID})
	must(b, err)
	es := make([]assessment.Entry, 0, 12*len(ps))
	for i, p := range ps {
		for j, ind := range inds {
			en := assessment.Entry{ParticipantID: p.ID, CycleID: c.ID, IndicatorID: ind.ID, Side: assessment.SideManager,
				Comment: "ok", UpdatedBy: e.head.ID, UpdatedAt: now}
			if j < 8 {
				en.Actual = f(float64(60 + (i+j)%50))
			} else {
				en.Score = f(float64(1 + (i+j)%5))
			}
			es = append(es, en)
		}
	}
	must(b, e.db.Assessment().PutEntries(e.sys, e.tenant, es))
	c, err = e.svc.StartCalibration(hrc, c.ID, c.Version)
	must(b, err)
	return c
}

// BenchmarkFinalise finalises a cycle of 10,000 participants with 12
// indicators each: 120,000 entries read, 10,000 results computed and
// written, 10,000 performance records, 10,000 audit entries and 10,000
// notifications, in one transaction. Run it with -benchtime=1x.
func BenchmarkFinalise(b *testing.B) {
	const n = 10_000
	for _, backend := range benchBackends {
		b.Run(backend, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				e := newEnv(b, benchDB(b, backend))
				c := seedCalibration(b, e, n)
				b.StartTimer()
				rep, err := e.svc.FinaliseWith(e.as["hr"], c.ID, c.Version, unscoredToo)
				b.StopTimer()
				must(b, err)
				if rep.Participants != n+3 { // the bench employees and the three of the fixtures
					b.Fatalf("finalised %d participants, want %d", rep.Participants, n+3)
				}
			}
		})
	}
}
