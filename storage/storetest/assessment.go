package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/hr"
)

// RunAssessment runs the conformance suite for assessment.Store. open
// must return a fresh, empty, migrated backend for every call: a
// transactor, the hr store (the suite seeds tenants, departments,
// positions and employees through it) and the assessment store, all
// joining the transactor's transactions.
func RunAssessment(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, assessment.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w asmWorld)
	}{
		{"IndicatorsRoundTripCodesUniquePerTenant", testAsmIndicators},
		{"TemplateVersionsOnlyDraftsChange", testAsmTemplates},
		{"GradeScaleUnderVersions", testAsmGrades},
		{"CyclesRoundTripWithTheirPlan", testAsmCycles},
		{"CandidatesComeFromHRInOneQuery", testAsmCandidates},
		{"ParticipantsRoundTripFilterAndDueByIndexedDates", testAsmParticipants},
		{"EntriesUpsertAndActualsKeepScores", testAsmEntries},
		{"LockedParticipantsWaitForTheTransaction", testAsmLock},
		{"RolledBackWritesLeaveNothing", testAsmRollback},
		{"TenantBNeverTouchesTenantA", testAsmIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, asmWorld{tx: tx, s: s, a: seedAsmTenant(t, h, "A"), b: seedAsmTenant(t, h, "B")})
		})
	}
}

var asmT0 = time.Date(2026, 7, 1, 1, 0, 0, 123456000, time.UTC)

type asmTenant struct {
	id               string
	sales, rnd       hr.Department
	head, wang, gone hr.Employee
	rdHead, chen     hr.Employee
}

type asmWorld struct {
	tx   ballast.Transactor
	s    assessment.Store
	a, b asmTenant
}

func seedAsmTenant(t *testing.T, s hr.Store, name string) asmTenant {
	t.Helper()
	ctx := context.Background()
	at := asmTenant{id: ballast.NewID()}
	asmMust(t, s.InsertTenant(ctx, hr.Tenant{ID: at.id, Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
		CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}))
	at.sales = hr.Department{ID: ballast.NewID(), Name: "Sales", CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
	at.rnd = hr.Department{ID: ballast.NewID(), Name: "R&D", CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
	asmMust(t, s.InsertDepartments(ctx, at.id, []hr.Department{at.sales, at.rnd}))
	pos := hr.Position{ID: ballast.NewID(), Title: "Senior", DepartmentID: at.sales.ID, Level: 5, CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
	asmMust(t, s.InsertPosition(ctx, at.id, pos))
	emp := func(n string, d hr.Department) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: n, Name: n, DepartmentID: d.ID, HireDate: hr.NewDate(2020, 1, 1),
			HireChannel: hr.ChannelCampus, Status: hr.StatusActive, CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
	}
	at.head, at.wang, at.gone = emp("H1", at.sales), emp("W1", at.sales), emp("G1", at.sales)
	at.rdHead, at.chen = emp("R1", at.rnd), emp("C1", at.rnd)
	at.wang.ManagerID, at.wang.PositionID = at.head.ID, pos.ID
	at.gone.Status, at.gone.LastWorkingDay = hr.StatusDeparted, hr.NewDate(2025, 12, 31)
	asmMust(t, s.InsertEmployees(ctx, at.id, []hr.Employee{at.head, at.wang, at.gone, at.rdHead, at.chen}))
	for _, x := range []struct {
		d    *hr.Department
		head string
	}{{&at.sales, at.head.ID}, {&at.rnd, at.rdHead.ID}} {
		d := *x.d
		d.HeadID, d.Version = x.head, 2
		asmMust(t, s.UpdateDepartment(ctx, at.id, d, 1))
		*x.d = d
	}
	return at
}

func asmMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func asmIs(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}

func asmIndicator(code string) assessment.Indicator {
	return assessment.Indicator{ID: ballast.NewID(), Code: code, Name: "Indicator " + code, Kind: assessment.Quantitative,
		Unit: "%", Target: 20, Direction: assessment.HigherIsBetter,
		Mapping:   assessment.Mapping{Kind: assessment.MappingBands, Bands: []assessment.Band{{Threshold: 60, Score: 60}, {Threshold: 90, Score: 100}}},
		CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
}

func testAsmIndicators(t *testing.T, w asmWorld) {
	ctx := context.Background()
	rev := asmIndicator("revenue")
	lead := assessment.Indicator{ID: ballast.NewID(), Code: "leadership", Name: "Leadership", Kind: assessment.Qualitative,
		Scale:     &assessment.RatingScale{Min: 1, Max: 5, Anchors: []assessment.Anchor{{Value: 3, Label: "meets", Description: "leads"}}},
		CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
	asmMust(t, w.s.InsertIndicator(ctx, w.a.id, rev))
	asmMust(t, w.s.InsertIndicator(ctx, w.a.id, lead))
	asmIs(t, "same code twice", w.s.InsertIndicator(ctx, w.a.id, asmIndicator("revenue")), ballast.ErrConflict)
	asmMust(t, w.s.InsertIndicator(ctx, w.b.id, asmIndicator("revenue"))) // another tenant may use it
	got, err := w.s.Indicator(ctx, w.a.id, lead.ID)
	asmMust(t, err)
	if diff := cmp.Diff(lead, got); diff != "" {
		t.Errorf("indicator round trip (-want +got):\n%s", diff)
	}
	arch := rev
	arch.Archived, arch.Version, arch.UpdatedAt = true, 2, asmT0.Add(time.Hour)
	asmIs(t, "stale version", w.s.UpdateIndicator(ctx, w.a.id, arch, 5), ballast.ErrConflict)
	asmMust(t, w.s.UpdateIndicator(ctx, w.a.id, arch, 1))
	list, err := w.s.ListIndicators(ctx, w.a.id, assessment.IndicatorQuery{})
	asmMust(t, err)
	if len(list) != 1 || list[0].Code != "leadership" {
		t.Errorf("active indicators = %+v, want leadership only", list)
	}
	list, err = w.s.ListIndicators(ctx, w.a.id, assessment.IndicatorQuery{IncludeArchived: true, Kind: assessment.Quantitative})
	asmMust(t, err)
	if len(list) != 1 || !list[0].Archived {
		t.Errorf("quantitative with archived = %+v", list)
	}
	byID, err := w.s.IndicatorsByID(ctx, w.a.id, []string{rev.ID, lead.ID, ballast.NewID()})
	asmMust(t, err)
	if len(byID) != 2 {
		t.Errorf("IndicatorsByID found %d, want 2", len(byID))
	}
}

func asmTemplate(id string, version int, status assessment.TemplateStatus, indID string) assessment.Template {
	return assessment.Template{ID: id, Version: version, Name: "Managers", Status: status,
		Categories: []assessment.Category{{Key: "results", Name: "Results", Weight: 100, Items: []assessment.Item{{IndicatorID: indID, Weight: 100}}}},
		Overrides:  []assessment.Override{{DepartmentID: ballast.NewID(), Weights: map[string]float64{"results": 100}}},
		CreatedBy:  "hr", CreatedAt: asmT0, UpdatedAt: asmT0}
}

func testAsmTemplates(t *testing.T, w asmWorld) {
	ctx := context.Background()
	id := ballast.NewID()
	v1 := asmTemplate(id, 1, assessment.TemplateDraft, ballast.NewID())
	asmMust(t, w.s.InsertTemplate(ctx, w.a.id, v1))
	asmIs(t, "same version twice", w.s.InsertTemplate(ctx, w.a.id, v1), ballast.ErrConflict)
	_, err := w.s.LatestPublished(ctx, w.a.id, id)
	asmIs(t, "no published version", err, ballast.ErrNotFound)
	v1.Status, v1.PublishedAt = assessment.TemplatePublished, asmT0.Add(time.Hour)
	asmMust(t, w.s.UpdateDraft(ctx, w.a.id, v1))
	asmIs(t, "update a published version", w.s.UpdateDraft(ctx, w.a.id, v1), ballast.ErrConflict)
	v2 := asmTemplate(id, 2, assessment.TemplateDraft, ballast.NewID())
	asmMust(t, w.s.InsertTemplate(ctx, w.a.id, v2))
	latest, err := w.s.Template(ctx, w.a.id, id, 0)
	asmMust(t, err)
	if diff := cmp.Diff(v2, latest); diff != "" {
		t.Errorf("latest (-want +got):\n%s", diff)
	}
	pub, err := w.s.LatestPublished(ctx, w.a.id, id)
	asmMust(t, err)
	if diff := cmp.Diff(v1, pub); diff != "" {
		t.Errorf("latest published (-want +got):\n%s", diff)
	}
	list, err := w.s.ListTemplates(ctx, w.a.id)
	asmMust(t, err)
	if len(list) != 1 || list[0].Version != 2 {
		t.Errorf("templates = %+v, want the latest version only", list)
	}
}

func testAsmGrades(t *testing.T, w asmWorld) {
	ctx := context.Background()
	_, err := w.s.GradeScale(ctx, w.a.id)
	asmIs(t, "no scale yet", err, ballast.ErrNotFound)
	g := assessment.GradeScale{Grades: []assessment.Grade{{Name: "A", Min: 90}, {Name: "B", Min: 0}}, UpdatedAt: asmT0, Version: 1}
	asmMust(t, w.s.PutGradeScale(ctx, w.a.id, g, 0))
	asmIs(t, "insert twice", w.s.PutGradeScale(ctx, w.a.id, g, 0), ballast.ErrConflict)
	g2 := g
	g2.Version = 2
	asmIs(t, "stale", w.s.PutGradeScale(ctx, w.a.id, g2, 7), ballast.ErrConflict)
	asmMust(t, w.s.PutGradeScale(ctx, w.a.id, g2, 1))
	got, err := w.s.GradeScale(ctx, w.a.id)
	asmMust(t, err)
	if diff := cmp.Diff(g2, got); diff != "" {
		t.Errorf("grade scale (-want +got):\n%s", diff)
	}
}

func asmCycle(tenant asmTenant) assessment.Cycle {
	return assessment.Cycle{ID: ballast.NewID(), Name: "2026 mid-year", Kind: assessment.MidYear,
		Period:       assessment.Period{Label: "2026H1", Start: hr.NewDate(2026, 1, 1), End: hr.NewDate(2026, 6, 30)},
		Selection:    assessment.Selection{DepartmentIDs: []string{tenant.sales.ID}, PositionLevels: []int{5}},
		TemplateID:   ballast.NewID(),
		Deadlines:    assessment.Deadlines{SelfEvaluation: hr.NewDate(2026, 7, 10), ManagerReview: hr.NewDate(2026, 7, 20), Calibration: hr.NewDate(2026, 7, 25), AppealUntil: hr.NewDate(2026, 8, 5)},
		ReminderDays: []int{1, 3}, State: assessment.CycleDraft, OwnerID: "hr", CreatedAt: asmT0, UpdatedAt: asmT0, Version: 1}
}

func testAsmCycles(t *testing.T, w asmWorld) {
	ctx := context.Background()
	c := asmCycle(w.a)
	asmMust(t, w.s.InsertCycle(ctx, w.a.id, c))
	got, err := w.s.Cycle(ctx, w.a.id, c.ID)
	asmMust(t, err)
	if diff := cmp.Diff(c, got); diff != "" {
		t.Errorf("cycle round trip (-want +got):\n%s", diff)
	}
	ind := asmIndicator("revenue")
	open := c
	open.State, open.TemplateVersion, open.Participants, open.OpenedAt, open.Version = assessment.CycleOpen, 3, 2, asmT0.Add(time.Hour), 2
	open.Plan = &assessment.Plan{Template: asmTemplate(c.TemplateID, 3, assessment.TemplatePublished, ind.ID),
		Indicators: map[string]assessment.Indicator{ind.ID: ind}}
	asmIs(t, "stale version", w.s.UpdateCycle(ctx, w.a.id, open, 2), ballast.ErrConflict)
	asmMust(t, w.s.UpdateCycle(ctx, w.a.id, open, 1))
	got, err = w.s.Cycle(ctx, w.a.id, c.ID)
	asmMust(t, err)
	if diff := cmp.Diff(open, got); diff != "" {
		t.Errorf("opened cycle (-want +got):\n%s", diff)
	}
	c2 := asmCycle(w.a)
	asmMust(t, w.s.InsertCycle(ctx, w.a.id, c2))
	list, err := w.s.ListCycles(ctx, w.a.id, assessment.CycleQuery{State: assessment.CycleOpen})
	asmMust(t, err)
	if len(list) != 1 || list[0].ID != c.ID || list[0].Plan != nil {
		t.Errorf("open cycles = %+v, want the first without its plan", list)
	}
	list, err = w.s.ListCycles(ctx, w.a.id, assessment.CycleQuery{After: c.ID, Limit: 5})
	asmMust(t, err)
	if len(list) != 1 || list[0].ID != c2.ID {
		t.Errorf("cycles after the first = %+v", list)
	}
}

func testAsmCandidates(t *testing.T, w asmWorld) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		sel  assessment.Selection
		want []string
	}{
		{"nothing", assessment.Selection{}, nil},
		{"a department, without the departed", assessment.Selection{DepartmentIDs: []string{w.a.sales.ID}}, []string{w.a.head.ID, w.a.wang.ID}},
		{"a level", assessment.Selection{PositionLevels: []int{5}}, []string{w.a.wang.ID}},
		{"a list with another tenant's employee", assessment.Selection{EmployeeIDs: []string{w.a.chen.ID, w.b.chen.ID}}, []string{w.a.chen.ID}},
		{"any of them", assessment.Selection{DepartmentIDs: []string{w.a.rnd.ID}, PositionLevels: []int{5}},
			[]string{w.a.wang.ID, w.a.rdHead.ID, w.a.chen.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.s.Candidates(ctx, w.a.id, tc.sel)
			asmMust(t, err)
			var ids []string
			for _, c := range got {
				ids = append(ids, c.EmployeeID)
			}
			want := map[string]bool{}
			for _, id := range tc.want {
				want[id] = true
			}
			have := map[string]bool{}
			for _, id := range ids {
				have[id] = true
			}
			if diff := cmp.Diff(want, have); diff != "" || len(ids) != len(tc.want) {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
	got, err := w.s.Candidates(ctx, w.a.id, assessment.Selection{EmployeeIDs: []string{w.a.wang.ID, w.a.chen.ID}})
	asmMust(t, err)
	byID := map[string]assessment.Candidate{}
	for _, c := range got {
		byID[c.EmployeeID] = c
	}
	wantWang := assessment.Candidate{EmployeeID: w.a.wang.ID, Number: "W1", Name: "W1", DepartmentID: w.a.sales.ID, PositionLevel: 5,
		ManagerID: w.a.head.ID, ManagerActive: true, DepartmentHead: w.a.head.ID}
	if diff := cmp.Diff(wantWang, byID[w.a.wang.ID]); diff != "" {
		t.Errorf("wang (-want +got):\n%s", diff)
	}
	if c := byID[w.a.chen.ID]; c.ManagerID != "" || c.ManagerActive || c.DepartmentHead != w.a.rdHead.ID {
		t.Errorf("chen = %+v, want no manager and the R&D head", c)
	}

	// Department heads: each department of the tenant with its parent, its
	// head and whether the head is active (a departed head is not).
	heads, err := w.s.DepartmentHeads(ctx, w.a.id)
	asmMust(t, err)
	byDept := map[string]assessment.DepartmentHead{}
	for _, d := range heads {
		byDept[d.DepartmentID] = d
	}
	want := map[string]assessment.DepartmentHead{
		w.a.sales.ID: {DepartmentID: w.a.sales.ID, HeadID: w.a.head.ID, HeadActive: true},
		w.a.rnd.ID:   {DepartmentID: w.a.rnd.ID, HeadID: w.a.rdHead.ID, HeadActive: true},
	}
	if diff := cmp.Diff(want, byDept); diff != "" || len(heads) != 2 {
		t.Errorf("department heads (-want +got):\n%s", diff)
	}
}

// asmOpen inserts an open cycle with participants for wang and chen.
func asmOpen(t *testing.T, w asmWorld, at asmTenant) (assessment.Cycle, []assessment.Participant) {
	t.Helper()
	ctx := context.Background()
	c := asmCycle(at)
	c.State = assessment.CycleOpen
	asmMust(t, w.s.InsertCycle(ctx, at.id, c))
	ps := []assessment.Participant{
		{ID: ballast.NewID(), CycleID: c.ID, EmployeeID: at.wang.ID, EmployeeNumber: "W1", EmployeeName: "W1", DepartmentID: at.sales.ID,
			PositionLevel: 5, ManagerID: at.head.ID, Status: assessment.StatusSelfPending, NextAlertOn: hr.NewDate(2026, 7, 7), UpdatedAt: asmT0, Version: 1},
		{ID: ballast.NewID(), CycleID: c.ID, EmployeeID: at.chen.ID, EmployeeNumber: "C1", EmployeeName: "C1", DepartmentID: at.rnd.ID,
			ManagerID: at.rdHead.ID, Status: assessment.StatusSelfPending, NextAlertOn: hr.NewDate(2026, 7, 9), UpdatedAt: asmT0, Version: 1},
	}
	asmMust(t, w.s.InsertParticipants(ctx, at.id, ps))
	return c, ps
}

func testAsmParticipants(t *testing.T, w asmWorld) {
	ctx := context.Background()
	c, ps := asmOpen(t, w, w.a)
	dup := ps[0]
	dup.ID = ballast.NewID()
	asmIs(t, "an employee twice in a cycle", w.s.InsertParticipants(ctx, w.a.id, []assessment.Participant{dup}), ballast.ErrConflict)
	got, err := w.s.Participant(ctx, w.a.id, ps[0].ID)
	asmMust(t, err)
	if diff := cmp.Diff(ps[0], got); diff != "" {
		t.Errorf("participant round trip (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		name string
		q    assessment.ParticipantQuery
		want int
	}{
		{"cycle", assessment.ParticipantQuery{CycleID: c.ID}, 2},
		{"department", assessment.ParticipantQuery{CycleID: c.ID, DepartmentID: w.a.rnd.ID}, 1},
		{"manager", assessment.ParticipantQuery{ManagerID: w.a.head.ID}, 1},
		{"employee and status", assessment.ParticipantQuery{EmployeeID: w.a.chen.ID, Status: assessment.StatusSelfPending}, 1},
		{"other status", assessment.ParticipantQuery{Status: assessment.StatusFinalised}, 0},
		{"limit", assessment.ParticipantQuery{CycleID: c.ID, Limit: 1}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.s.ListParticipants(ctx, w.a.id, tc.q)
			asmMust(t, err)
			if len(got) != tc.want {
				t.Errorf("%d participants, want %d", len(got), tc.want)
			}
		})
	}
	up := ps[0]
	up.Status, up.SelfSubmittedAt, up.SelfDue, up.Version = assessment.StatusSelfSubmitted, asmT0.Add(time.Hour), hr.NewDate(2026, 7, 14), 2
	up.ManagerID = w.a.rdHead.ID // HR reassigns the manager
	up.Calibration = &assessment.Calibration{Score: 62, Reason: "r", By: "hr", At: asmT0}
	asmIs(t, "stale version", w.s.UpdateParticipant(ctx, w.a.id, up, 3), ballast.ErrConflict)
	asmMust(t, w.s.UpdateParticipant(ctx, w.a.id, up, 1))
	got, err = w.s.Participant(ctx, w.a.id, up.ID)
	asmMust(t, err)
	if diff := cmp.Diff(up, got); diff != "" {
		t.Errorf("updated participant (-want +got):\n%s", diff)
	}

	due, err := w.s.DueParticipants(ctx, w.a.id, hr.NewDate(2026, 7, 8), 10)
	asmMust(t, err)
	if len(due) != 1 || due[0].ID != ps[0].ID {
		t.Errorf("due on 8 July = %d, want wang only", len(due))
	}
	asmMust(t, w.s.SetAlerts(ctx, w.a.id, []string{ps[0].ID}, hr.Date{}))
	due, err = w.s.DueParticipants(ctx, w.a.id, hr.NewDate(2026, 7, 9), 10)
	asmMust(t, err)
	if len(due) != 1 || due[0].ID != ps[1].ID {
		t.Errorf("due on 9 July after clearing wang = %+v, want chen only", due)
	}
	asmMust(t, w.s.SetCycleAlerts(ctx, w.a.id, c.ID, hr.NewDate(2026, 7, 17), []assessment.ParticipantStatus{assessment.StatusSelfSubmitted}))
	due, err = w.s.DueParticipants(ctx, w.a.id, hr.NewDate(2026, 7, 31), 10)
	asmMust(t, err)
	if len(due) != 1 || due[0].ID != ps[0].ID || due[0].NextAlertOn != hr.NewDate(2026, 7, 17) {
		t.Errorf("due after SetCycleAlerts = %+v, want wang (self_submitted) on 17 July and chen cleared", due)
	}
	counts, err := w.s.CountParticipants(ctx, w.a.id, c.ID)
	asmMust(t, err)
	if len(counts) != 2 {
		t.Errorf("counts = %+v, want one row per department", counts)
	}

	at := asmT0.Add(2 * time.Hour)
	fin := make([]assessment.Participant, len(ps))
	for i, p := range ps {
		cur, err := w.s.Participant(ctx, w.a.id, p.ID)
		asmMust(t, err)
		cur.Result = &assessment.Result{Computed: 81.5, Score: 81.5, Grade: "B+", Strengths: []string{"a"}, Gaps: []string{},
			Items: []assessment.ItemScore{{IndicatorID: "i", Code: "c", Name: "n", Category: "results", Kind: assessment.Quantitative,
				Weight: 100, Score: 81.5, Actual: fptr(16), Comment: "ok"}}, FinalisedAt: asmT0}
		fin[i] = cur
	}
	asmMust(t, w.s.PutResults(ctx, w.a.id, fin, at))
	for i := range fin {
		fin[i].Status, fin[i].NextAlertOn, fin[i].UpdatedAt, fin[i].Version = assessment.StatusFinalised, hr.Date{}, at, fin[i].Version+1
		got, err = w.s.Participant(ctx, w.a.id, fin[i].ID)
		asmMust(t, err)
		if diff := cmp.Diff(fin[i], got); diff != "" {
			t.Errorf("result written in bulk (-want +got):\n%s", diff)
		}
	}
	adjusted := fin[1]
	adjusted.Result.Score, adjusted.Result.Grade, adjusted.Result.Items[0].Adjusted, adjusted.Version = 86, "A", true, fin[1].Version+1
	asmMust(t, w.s.UpdateParticipant(ctx, w.a.id, adjusted, fin[1].Version))
	got, err = w.s.Participant(ctx, w.a.id, adjusted.ID)
	asmMust(t, err)
	if diff := cmp.Diff(adjusted, got); diff != "" {
		t.Errorf("adjusted result (-want +got):\n%s", diff)
	}
	fins, err := w.s.ListParticipants(ctx, w.a.id, assessment.ParticipantQuery{CycleID: c.ID, Status: assessment.StatusFinalised})
	asmMust(t, err)
	if len(fins) != 2 || fins[0].Result == nil || fins[1].Result == nil {
		t.Errorf("finalised participants listed = %+v, want both with results", fins)
	}
	adj := assessment.Adjustment{ID: ballast.NewID(), ParticipantID: ps[1].ID, CycleID: c.ID, Before: 75, After: 100,
		ScoreBefore: 81.5, ScoreAfter: 86, GradeBefore: "B+", GradeAfter: "B+", Reason: "appeal", AppealID: ballast.NewID(), By: "hr", At: asmT0}
	asmMust(t, w.s.InsertAdjustment(ctx, w.a.id, adj))
	adjs, err := w.s.Adjustments(ctx, w.a.id, ps[1].ID)
	asmMust(t, err)
	if diff := cmp.Diff([]assessment.Adjustment{adj}, adjs); diff != "" {
		t.Errorf("adjustments (-want +got):\n%s", diff)
	}
}

func fptr(v float64) *float64 { return &v }

func testAsmEntries(t *testing.T, w asmWorld) {
	ctx := context.Background()
	c, ps := asmOpen(t, w, w.a)
	ind1, ind2 := ballast.NewID(), ballast.NewID()
	e1 := assessment.Entry{ParticipantID: ps[0].ID, CycleID: c.ID, IndicatorID: ind1, Side: assessment.SideManager,
		Score: fptr(4), Comment: "good", UpdatedBy: "m", UpdatedAt: asmT0}
	self := assessment.Entry{ParticipantID: ps[0].ID, CycleID: c.ID, IndicatorID: ind1, Side: assessment.SideSelf, Score: fptr(5),
		Evidence:  []assessment.Evidence{{Kind: assessment.EvidenceFile, Name: "x.pdf", Size: 3, SHA256: fmt.Sprintf("%064x", 7)}},
		UpdatedBy: "w", UpdatedAt: asmT0}
	asmMust(t, w.s.PutEntries(ctx, w.a.id, []assessment.Entry{e1, self}))
	// An actual keeps the score and comment; a new entry gets one too.
	asmMust(t, w.s.SetActuals(ctx, w.a.id, []assessment.Entry{
		{ParticipantID: ps[0].ID, CycleID: c.ID, IndicatorID: ind1, Side: assessment.SideManager, Actual: fptr(16), UpdatedBy: "hr", UpdatedAt: asmT0.Add(time.Hour)},
		{ParticipantID: ps[0].ID, CycleID: c.ID, IndicatorID: ind2, Side: assessment.SideManager, Actual: fptr(90), UpdatedBy: "hr", UpdatedAt: asmT0.Add(time.Hour)},
	}))
	got, err := w.s.Entries(ctx, w.a.id, ps[0].ID, assessment.SideManager)
	asmMust(t, err)
	byInd := map[string]assessment.Entry{}
	for _, e := range got {
		byInd[e.IndicatorID] = e
	}
	if e := byInd[ind1]; e.Score == nil || *e.Score != 4 || e.Comment != "good" || e.Actual == nil || *e.Actual != 16 {
		t.Errorf("entry after SetActuals = %+v, want score 4, comment kept, actual 16", e)
	}
	if e := byInd[ind2]; e.Score != nil || e.Actual == nil || *e.Actual != 90 {
		t.Errorf("new entry from SetActuals = %+v", e)
	}
	selfGot, err := w.s.Entries(ctx, w.a.id, ps[0].ID, assessment.SideSelf)
	asmMust(t, err)
	if diff := cmp.Diff([]assessment.Entry{self}, selfGot); diff != "" {
		t.Errorf("self entries (-want +got):\n%s", diff)
	}
	e1.Score, e1.Comment = fptr(3), "revised"
	asmMust(t, w.s.PutEntries(ctx, w.a.id, []assessment.Entry{e1}))
	all, err := w.s.CycleEntries(ctx, w.a.id, c.ID, assessment.SideManager)
	asmMust(t, err)
	if len(all) != 2 {
		t.Errorf("cycle entries = %+v, want 2", all)
	}
	for _, e := range all {
		if e.IndicatorID == ind1 && (e.Score == nil || *e.Score != 3 || e.Actual != nil || e.Comment != "revised") {
			t.Errorf("PutEntries wrote %+v, want the entry as given (score 3, no actual)", e)
		}
	}
}

func testAsmRollback(t *testing.T, w asmWorld) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		asmMust(t, w.s.InsertIndicator(ctx, w.a.id, asmIndicator("rolled")))
		c := asmCycle(w.a)
		asmMust(t, w.s.InsertCycle(ctx, w.a.id, c))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx = %v", err)
	}
	list, err := w.s.ListIndicators(ctx, w.a.id, assessment.IndicatorQuery{IncludeArchived: true})
	asmMust(t, err)
	cs, err := w.s.ListCycles(ctx, w.a.id, assessment.CycleQuery{})
	asmMust(t, err)
	if len(list)+len(cs) != 0 {
		t.Errorf("rolled back writes left %d indicators and %d cycles", len(list), len(cs))
	}
}

func testAsmIsolation(t *testing.T, w asmWorld) {
	ctx := context.Background()
	ind := asmIndicator("revenue")
	asmMust(t, w.s.InsertIndicator(ctx, w.a.id, ind))
	tpl := asmTemplate(ballast.NewID(), 1, assessment.TemplatePublished, ind.ID)
	asmMust(t, w.s.InsertTemplate(ctx, w.a.id, tpl))
	asmMust(t, w.s.PutGradeScale(ctx, w.a.id, assessment.GradeScale{Grades: []assessment.Grade{{Name: "A", Min: 0}}, UpdatedAt: asmT0, Version: 1}, 0))
	c, ps := asmOpen(t, w, w.a)
	asmMust(t, w.s.PutEntries(ctx, w.a.id, []assessment.Entry{{ParticipantID: ps[0].ID, CycleID: c.ID, IndicatorID: ind.ID,
		Side: assessment.SideManager, Score: fptr(3), UpdatedBy: "m", UpdatedAt: asmT0}}))
	adj := assessment.Adjustment{ID: ballast.NewID(), ParticipantID: ps[0].ID, CycleID: c.ID, Reason: "r", By: "hr", At: asmT0}
	asmMust(t, w.s.InsertAdjustment(ctx, w.a.id, adj))

	b := w.b.id
	_, err := w.s.Indicator(ctx, b, ind.ID)
	asmIs(t, "B reads A's indicator", err, ballast.ErrNotFound)
	list, err := w.s.IndicatorsByID(ctx, b, []string{ind.ID})
	asmMust(t, err)
	inds, err := w.s.ListIndicators(ctx, b, assessment.IndicatorQuery{IncludeArchived: true})
	asmMust(t, err)
	asmIs(t, "B updates A's indicator", w.s.UpdateIndicator(ctx, b, ind, 1), ballast.ErrNotFound)
	_, err = w.s.Template(ctx, b, tpl.ID, 0)
	asmIs(t, "B reads A's template", err, ballast.ErrNotFound)
	_, err = w.s.LatestPublished(ctx, b, tpl.ID)
	asmIs(t, "B reads A's published template", err, ballast.ErrNotFound)
	tpls, err := w.s.ListTemplates(ctx, b)
	asmMust(t, err)
	asmIs(t, "B updates A's template", w.s.UpdateDraft(ctx, b, tpl), ballast.ErrNotFound)
	_, err = w.s.GradeScale(ctx, b)
	asmIs(t, "B reads A's grade scale", err, ballast.ErrNotFound)
	_, err = w.s.Cycle(ctx, b, c.ID)
	asmIs(t, "B reads A's cycle", err, ballast.ErrNotFound)
	asmIs(t, "B updates A's cycle", w.s.UpdateCycle(ctx, b, c, 1), ballast.ErrNotFound)
	cs, err := w.s.ListCycles(ctx, b, assessment.CycleQuery{})
	asmMust(t, err)
	cands, err := w.s.Candidates(ctx, b, assessment.Selection{DepartmentIDs: []string{w.a.sales.ID}, EmployeeIDs: []string{w.a.wang.ID}})
	asmMust(t, err)
	_, err = w.s.Participant(ctx, b, ps[0].ID)
	asmIs(t, "B reads A's participant", err, ballast.ErrNotFound)
	asmIs(t, "B updates A's participant", w.s.UpdateParticipant(ctx, b, ps[0], 1), ballast.ErrNotFound)
	parts, err := w.s.ListParticipants(ctx, b, assessment.ParticipantQuery{CycleID: c.ID})
	asmMust(t, err)
	asmMust(t, w.s.SetAlerts(ctx, b, []string{ps[0].ID}, hr.Date{}))
	asmMust(t, w.s.SetCycleAlerts(ctx, b, c.ID, hr.Date{}, nil))
	due, err := w.s.DueParticipants(ctx, b, hr.NewDate(2030, 1, 1), 10)
	asmMust(t, err)
	counts, err := w.s.CountParticipants(ctx, b, c.ID)
	asmMust(t, err)
	ents, err := w.s.Entries(ctx, b, ps[0].ID, assessment.SideManager)
	asmMust(t, err)
	cents, err := w.s.CycleEntries(ctx, b, c.ID, assessment.SideManager)
	asmMust(t, err)
	adjs, err := w.s.Adjustments(ctx, b, ps[0].ID)
	asmMust(t, err)
	for name, n := range map[string]int{"IndicatorsByID": len(list), "ListIndicators": len(inds), "ListTemplates": len(tpls),
		"ListCycles": len(cs), "Candidates": len(cands), "ListParticipants": len(parts), "DueParticipants": len(due),
		"CountParticipants": len(counts), "Entries": len(ents), "CycleEntries": len(cents), "Adjustments": len(adjs)} {
		if n != 0 {
			t.Errorf("%s for tenant B returned %d of A's rows", name, n)
		}
	}
	// B's writes did not touch A's rows.
	still, err := w.s.DueParticipants(ctx, w.a.id, hr.NewDate(2030, 1, 1), 10)
	asmMust(t, err)
	if len(still) != 2 {
		t.Errorf("A's alerts after B's writes: %d due, want 2", len(still))
	}
}

// testAsmLock checks that participants listed with Lock inside a
// transaction cannot be changed by others until it ends.
func testAsmLock(t *testing.T, w asmWorld) {
	ctx := context.Background()
	_, ps := asmOpen(t, w, w.a)
	locked := make(chan struct{})
	var held time.Time
	done := make(chan error, 1)
	go func() {
		done <- w.tx.InTx(ctx, func(ctx context.Context) error {
			if _, err := w.s.ListParticipants(ctx, w.a.id, assessment.ParticipantQuery{CycleID: ps[0].CycleID, Lock: true}); err != nil {
				return err
			}
			close(locked)
			time.Sleep(300 * time.Millisecond)
			held = time.Now()
			return nil
		})
	}()
	<-locked
	up := ps[0]
	up.Version = 2
	asmMust(t, w.s.UpdateParticipant(ctx, w.a.id, up, 1))
	changed := time.Now()
	asmMust(t, <-done)
	if changed.Before(held) {
		t.Errorf("a locked participant changed %v before the locking transaction ended", held.Sub(changed))
	}
}
