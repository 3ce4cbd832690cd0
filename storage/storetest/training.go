package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/training"
)

// RunTraining runs the conformance suite for training.Store. open must
// return a fresh, empty, migrated backend for every call: a transactor,
// the hr store (the suite seeds tenants, departments and employees through
// it) and the training store, all joining the transactor's transactions.
func RunTraining(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, training.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, w trWorld)
	}{
		{"CoursesRoundTripWithSkillsAndUniqueCode", testTrCourses},
		{"CourseUpdatesFollowTheVersionRuleAndReplaceSkills", testTrCourseUpdate},
		{"CoursesBuildingMatchSkillsWithoutCase", testTrBuilding},
		{"SessionsCountSeatsAndFilterByDayAndStatus", testTrSessions},
		{"OneLiveEnrolmentPerSessionAndEmployee", testTrLive},
		{"EnrolmentsListInOrderWithinDepartmentScope", testTrEnrolmentList},
		{"CancellingASessionCancelsItsLiveEnrolments", testTrCancelSession},
		{"CertificatesJoinCourseAndSession", testTrCertificates},
		{"OutcomesReadSkillsAndPerformanceAroundTheSession", testTrOutcomes},
		{"DueSessionsByRemindDayThenCleared", testTrDue},
		{"RequiredSkillsAreReplacedWhole", testTrRequired},
		{"RolledBackWritesLeaveNothing", testTrRollback},
		{"TenantBNeverTouchesTenantA", testTrIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, trWorld{tx: tx, h: h, s: s, a: seedTrTenant(t, h, "A"), b: seedTrTenant(t, h, "B")})
		})
	}
}

var trT0 = time.Date(2026, 9, 1, 2, 0, 0, 123456000, time.UTC)

type trTenant struct {
	id            string
	sales, rnd    string // department ids
	emp, emp2, rd hr.Employee
}

type trWorld struct {
	tx   ballast.Transactor
	h    hr.Store
	s    training.Store
	a, b trTenant
}

func seedTrTenant(t *testing.T, s hr.Store, name string) trTenant {
	t.Helper()
	ctx := context.Background()
	tt := trTenant{id: ballast.NewID()}
	trMust(t, s.InsertTenant(ctx, hr.Tenant{ID: tt.id, Name: name, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
		CreatedAt: trT0, UpdatedAt: trT0, Version: 1}))
	sales := hr.Department{ID: ballast.NewID(), Name: "Sales", CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
	rnd := hr.Department{ID: ballast.NewID(), Name: "R&D", CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
	trMust(t, s.InsertDepartments(ctx, tt.id, []hr.Department{sales, rnd}))
	tt.sales, tt.rnd = sales.ID, rnd.ID
	emp := func(n, dept string) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: n, Name: n, DepartmentID: dept, HireDate: hr.NewDate(2020, 1, 1),
			HireChannel: hr.ChannelCampus, Status: hr.StatusActive, CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
	}
	tt.emp, tt.emp2, tt.rd = emp("E1", sales.ID), emp("E2", sales.ID), emp("R1", rnd.ID)
	trMust(t, s.InsertEmployees(ctx, tt.id, []hr.Employee{tt.emp, tt.emp2, tt.rd}))
	return tt
}

func trMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func trIs(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error = %v, want %v", what, err, want)
	}
}

func trCourse(code string, skills ...training.SkillLevel) training.Course {
	if skills == nil {
		skills = []training.SkillLevel{}
	}
	return training.Course{ID: ballast.NewID(), Code: code, Title: "Course " + code, Kind: training.Classroom, Hours: 8,
		Skills: skills, IndicatorCode: "client_satisfaction", PassMark: 60, CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
}

// trSession is a scheduled session of c on day, 09:00–17:00 Shanghai.
func trSession(c training.Course, day hr.Date, capacity int) training.Session {
	start := time.Date(day.Year, day.Month, day.Day, 1, 0, 0, 0, time.UTC)
	return training.Session{ID: ballast.NewID(), CourseID: c.ID, Date: day, EndDate: day, StartsAt: start, EndsAt: start.Add(8 * time.Hour),
		Trainer: "Li Na", Location: "Room 3", Capacity: capacity, Status: training.SessionScheduled,
		RemindOn: hr.DateOf(start.AddDate(0, 0, -2)), CreatedAt: trT0, UpdatedAt: trT0, Version: 1}
}

var trSeq int

func trEnrolment(ses training.Session, emp hr.Employee, st training.EnrolmentStatus) training.Enrolment {
	trSeq++
	at := trT0.Add(time.Duration(trSeq) * time.Second)
	return training.Enrolment{ID: ballast.NewID(), SessionID: ses.ID, CourseID: ses.CourseID, EmployeeID: emp.ID, Status: st,
		SkillsBefore: []training.SkillLevel{{Name: "Negotiation", Level: 2}}, EnrolledBy: emp.ID, EnrolledAt: at, UpdatedAt: at, Version: 1}
}

func trSeed(t *testing.T, w trWorld) (training.Course, training.Session) {
	t.Helper()
	ctx := context.Background()
	c := trCourse("NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3})
	trMust(t, w.s.InsertCourse(ctx, w.a.id, c))
	ses := trSession(c, hr.NewDate(2026, 9, 14), 2)
	trMust(t, w.s.InsertSession(ctx, w.a.id, ses))
	return c, ses
}

func testTrCourses(t *testing.T, w trWorld) {
	ctx := context.Background()
	c := trCourse("NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3}, training.SkillLevel{Name: "Key accounts", Level: 2})
	trMust(t, w.s.InsertCourse(ctx, w.a.id, c))
	got, err := w.s.Course(ctx, w.a.id, c.ID)
	trMust(t, err)
	if d := cmp.Diff(c, got); d != "" {
		t.Errorf("course (-want +got):\n%s", d)
	}
	dup := trCourse("NEG-101")
	trIs(t, "a second course with the code", w.s.InsertCourse(ctx, w.a.id, dup), ballast.ErrConflict)
	_, err = w.s.Course(ctx, w.a.id, dup.ID)
	trIs(t, "the refused duplicate", err, ballast.ErrNotFound)
	c2 := trCourse("AAA-1")
	trMust(t, w.s.InsertCourse(ctx, w.a.id, c2))
	list, err := w.s.ListCourses(ctx, w.a.id, training.CourseQuery{})
	trMust(t, err)
	if d := cmp.Diff([]training.Course{c2, c}, list); d != "" {
		t.Errorf("courses by code (-want +got):\n%s", d)
	}
	page, err := w.s.ListCourses(ctx, w.a.id, training.CourseQuery{After: "AAA-1", Limit: 1})
	trMust(t, err)
	if len(page) != 1 || page[0].ID != c.ID {
		t.Errorf("page after AAA-1 = %v, want NEG-101", page)
	}
}

func testTrCourseUpdate(t *testing.T, w trWorld) {
	ctx := context.Background()
	c := trCourse("NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3})
	trMust(t, w.s.InsertCourse(ctx, w.a.id, c))
	c2 := c
	c2.Title, c2.PassMark, c2.Version = "Advanced negotiation", 70, 2
	c2.Skills = []training.SkillLevel{{Name: "Negotiation", Level: 4}, {Name: "Pricing", Level: 2}}
	trIs(t, "a stale update", w.s.UpdateCourse(ctx, w.a.id, c2, 5), ballast.ErrConflict)
	trMust(t, w.s.UpdateCourse(ctx, w.a.id, c2, 1))
	got, err := w.s.Course(ctx, w.a.id, c.ID)
	trMust(t, err)
	if d := cmp.Diff(c2, got); d != "" {
		t.Errorf("updated course (-want +got):\n%s", d)
	}
	missing := c2
	missing.ID = ballast.NewID()
	trIs(t, "updating a missing course", w.s.UpdateCourse(ctx, w.a.id, missing, 1), ballast.ErrNotFound)
}

func testTrBuilding(t *testing.T, w trWorld) {
	ctx := context.Background()
	neg := trCourse("NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3})
	lead := trCourse("LEAD-1", training.SkillLevel{Name: "Leadership", Level: 3}, training.SkillLevel{Name: "negotiation", Level: 2})
	other := trCourse("XLS-1", training.SkillLevel{Name: "Spreadsheets", Level: 2})
	for _, c := range []training.Course{neg, lead, other} {
		trMust(t, w.s.InsertCourse(ctx, w.a.id, c))
	}
	got, err := w.s.CoursesBuilding(ctx, w.a.id, []string{"NEGOTIATION"})
	trMust(t, err)
	if d := cmp.Diff([]training.Course{lead, neg}, got); d != "" {
		t.Errorf("courses building negotiation (-want +got):\n%s", d)
	}
	got, err = w.s.CoursesBuilding(ctx, w.a.id, []string{"cooking"})
	trMust(t, err)
	if len(got) != 0 {
		t.Errorf("courses building cooking = %v", got)
	}
}

func testTrSessions(t *testing.T, w trWorld) {
	ctx := context.Background()
	c, ses := trSeed(t, w)
	later := trSession(c, hr.NewDate(2026, 10, 5), 10)
	later.Status, later.RemindOn = training.SessionCancelled, hr.Date{}
	trMust(t, w.s.InsertSession(ctx, w.a.id, later))
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, trEnrolment(ses, w.a.emp, training.Enrolled)))
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, trEnrolment(ses, w.a.emp2, training.Waitlisted)))
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, trEnrolment(ses, w.a.rd, training.Cancelled)))
	got, err := w.s.Session(ctx, w.a.id, ses.ID, false)
	trMust(t, err)
	want := ses
	want.Enrolled, want.Waitlisted = 1, 1
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("session (-want +got):\n%s", d)
	}
	err = w.tx.InTx(ctx, func(ctx context.Context) error {
		locked, err := w.s.Session(ctx, w.a.id, ses.ID, true)
		if err == nil && locked.Enrolled != 1 {
			t.Errorf("locked session counts %d enrolled, want 1", locked.Enrolled)
		}
		return err
	})
	trMust(t, err)
	for _, tc := range []struct {
		name string
		q    training.SessionQuery
		want []string
	}{
		{"all", training.SessionQuery{}, []string{ses.ID, later.ID}},
		{"scheduled", training.SessionQuery{Statuses: []training.SessionStatus{training.SessionScheduled}}, []string{ses.ID}},
		{"from October", training.SessionQuery{From: hr.NewDate(2026, 10, 1)}, []string{later.ID}},
		{"to 14 September", training.SessionQuery{To: hr.NewDate(2026, 9, 14)}, []string{ses.ID}},
		{"other course", training.SessionQuery{CourseID: ballast.NewID()}, []string{}},
		{"limit", training.SessionQuery{Limit: 1}, []string{ses.ID}},
	} {
		list, err := w.s.ListSessions(ctx, w.a.id, tc.q)
		trMust(t, err)
		ids := []string{}
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		if d := cmp.Diff(tc.want, ids); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	s2 := ses
	s2.Capacity, s2.Trainer, s2.Version = 5, "Wang Fang", 2
	trIs(t, "a stale session update", w.s.UpdateSession(ctx, w.a.id, s2, 9), ballast.ErrConflict)
	trMust(t, w.s.UpdateSession(ctx, w.a.id, s2, 1))
	got, err = w.s.Session(ctx, w.a.id, ses.ID, false)
	trMust(t, err)
	if got.Capacity != 5 || got.Trainer != "Wang Fang" || got.Version != 2 {
		t.Errorf("updated session = %+v", got)
	}
}

func testTrLive(t *testing.T, w trWorld) {
	ctx := context.Background()
	_, ses := trSeed(t, w)
	e := trEnrolment(ses, w.a.emp, training.Enrolled)
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, e))
	got, err := w.s.Enrolment(ctx, w.a.id, e.ID)
	trMust(t, err)
	if d := cmp.Diff(e, got); d != "" {
		t.Errorf("enrolment (-want +got):\n%s", d)
	}
	trIs(t, "a second live enrolment", w.s.InsertEnrolment(ctx, w.a.id, trEnrolment(ses, w.a.emp, training.Waitlisted)), ballast.ErrConflict)
	e2 := e
	e2.Status, e2.CancelledBy, e2.CancelReason, e2.Version = training.Cancelled, w.a.emp.ID, "clash", 2
	trIs(t, "a stale enrolment update", w.s.UpdateEnrolment(ctx, w.a.id, e2, 7), ballast.ErrConflict)
	trMust(t, w.s.UpdateEnrolment(ctx, w.a.id, e2, 1))
	again := trEnrolment(ses, w.a.emp, training.Enrolled)
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, again))
	// Reviving the cancelled one beside the live one collides.
	e3 := e2
	e3.Status, e3.Version = training.Enrolled, 3
	trIs(t, "reviving beside a live enrolment", w.s.UpdateEnrolment(ctx, w.a.id, e3, 2), ballast.ErrConflict)
	// Attendance, score and certificate round-trip.
	yes, score := true, 88.5
	again2 := again
	again2.Attended, again2.Score, again2.Passed = &yes, &score, true
	again2.CertificateID, again2.CertifiedAt, again2.Version = ballast.NewID(), trT0.Add(time.Hour), 2
	trMust(t, w.s.UpdateEnrolment(ctx, w.a.id, again2, 1))
	got, err = w.s.Enrolment(ctx, w.a.id, again.ID)
	trMust(t, err)
	if d := cmp.Diff(again2, got); d != "" {
		t.Errorf("scored enrolment (-want +got):\n%s", d)
	}
}

func testTrEnrolmentList(t *testing.T, w trWorld) {
	ctx := context.Background()
	_, ses := trSeed(t, w)
	e1 := trEnrolment(ses, w.a.emp, training.Enrolled)
	e2 := trEnrolment(ses, w.a.rd, training.Waitlisted)
	e3 := trEnrolment(ses, w.a.emp2, training.Waitlisted)
	for _, e := range []training.Enrolment{e3, e1, e2} {
		trMust(t, w.s.InsertEnrolment(ctx, w.a.id, e))
	}
	yes := true
	e1.Attended, e1.Version = &yes, 2
	trMust(t, w.s.UpdateEnrolment(ctx, w.a.id, e1, 1))
	for _, tc := range []struct {
		name string
		q    training.EnrolmentQuery
		want []string
	}{
		{"session in enrolment order", training.EnrolmentQuery{SessionID: ses.ID}, []string{e1.ID, e2.ID, e3.ID}},
		{"the waitlist's head", training.EnrolmentQuery{SessionID: ses.ID, Statuses: []training.EnrolmentStatus{training.Waitlisted}, Limit: 1}, []string{e2.ID}},
		{"one employee", training.EnrolmentQuery{EmployeeID: w.a.emp2.ID}, []string{e3.ID}},
		{"sales only", training.EnrolmentQuery{DepartmentIDs: []string{w.a.sales}}, []string{e1.ID, e3.ID}},
		{"attended", training.EnrolmentQuery{CourseID: ses.CourseID, Attended: true}, []string{e1.ID}},
		{"other course", training.EnrolmentQuery{CourseID: ballast.NewID()}, []string{}},
	} {
		list, err := w.s.ListEnrolments(ctx, w.a.id, tc.q)
		trMust(t, err)
		ids := []string{}
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		if d := cmp.Diff(tc.want, ids); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
}

func testTrCancelSession(t *testing.T, w trWorld) {
	ctx := context.Background()
	_, ses := trSeed(t, w)
	e1 := trEnrolment(ses, w.a.emp, training.Enrolled)
	e2 := trEnrolment(ses, w.a.emp2, training.Waitlisted)
	e3 := trEnrolment(ses, w.a.rd, training.Cancelled)
	for _, e := range []training.Enrolment{e1, e2, e3} {
		trMust(t, w.s.InsertEnrolment(ctx, w.a.id, e))
	}
	n, err := w.s.CancelSessionEnrolments(ctx, w.a.id, ses.ID, "hr", "trainer ill", trT0.Add(time.Hour))
	trMust(t, err)
	if n != 2 {
		t.Errorf("cancelled %d, want 2", n)
	}
	got, err := w.s.Enrolment(ctx, w.a.id, e2.ID)
	trMust(t, err)
	if got.Status != training.Cancelled || got.CancelReason != "trainer ill" || got.CancelledBy != "hr" || got.Version != 2 {
		t.Errorf("cancelled enrolment = %+v", got)
	}
	// The employee may enrol again: the cancelled row no longer counts as live.
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, trEnrolment(ses, w.a.emp, training.Enrolled)))
}

func testTrCertificates(t *testing.T, w trWorld) {
	ctx := context.Background()
	c, ses := trSeed(t, w)
	e := trEnrolment(ses, w.a.emp, training.Enrolled)
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, e))
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, trEnrolment(ses, w.a.emp2, training.Enrolled)))
	yes, score := true, 75.0
	e.Attended, e.Score, e.Passed, e.CertificateID, e.CertifiedAt, e.Version = &yes, &score, true, ballast.NewID(), trT0.Add(time.Hour), 2
	trMust(t, w.s.UpdateEnrolment(ctx, w.a.id, e, 1))
	got, err := w.s.Certificates(ctx, w.a.id, w.a.emp.ID)
	trMust(t, err)
	want := []training.Certificate{{ID: e.CertificateID, EnrolmentID: e.ID, EmployeeID: w.a.emp.ID, CourseID: c.ID,
		CourseCode: c.Code, CourseTitle: c.Title, SessionDate: ses.Date, Score: 75, IssuedAt: e.CertifiedAt}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("certificates (-want +got):\n%s", d)
	}
	none, err := w.s.Certificates(ctx, w.a.id, w.a.emp2.ID)
	trMust(t, err)
	if len(none) != 0 {
		t.Errorf("an uncertified employee has %v", none)
	}
}

func testTrOutcomes(t *testing.T, w trWorld) {
	ctx := context.Background()
	c := trCourse("NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3})
	trMust(t, w.s.InsertCourse(ctx, w.a.id, c))
	ses := trSession(c, hr.NewDate(2026, 6, 29), 5) // two days: 29 and 30 June
	ses.EndDate = hr.NewDate(2026, 6, 30)
	trMust(t, w.s.InsertSession(ctx, w.a.id, ses))
	yes, no := true, false
	e1 := trEnrolment(ses, w.a.emp, training.Enrolled)
	e1.Attended, e1.CertificateID, e1.CertifiedAt = &yes, ballast.NewID(), trT0
	e2 := trEnrolment(ses, w.a.emp2, training.Enrolled)
	e2.Attended = &yes
	e3 := trEnrolment(ses, w.a.rd, training.Enrolled)
	e3.Attended = &no
	for _, e := range []training.Enrolment{e1, e2, e3} {
		trMust(t, w.s.InsertEnrolment(ctx, w.a.id, e))
	}
	trMust(t, w.h.PutProfile(ctx, w.a.id, hr.Profile{EmployeeID: w.a.emp.ID, Skills: []hr.Skill{{Name: "negotiation", Level: 3}},
		UpdatedAt: trT0, Version: 1}, 0))
	perf := func(emp hr.Employee, period string, score float64) hr.PerformanceEntry {
		end, _ := hr.PeriodEnd(period)
		return hr.PerformanceEntry{EmployeeID: emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: period, PeriodEnd: end, Score: score}}
	}
	// 2026Q2 ends on 30 June, the session's last day: it is "after".
	trMust(t, w.h.RecordPerformance(ctx, w.a.id, []hr.PerformanceEntry{
		perf(w.a.emp, "2025H2", 70), perf(w.a.emp, "2026Q1", 72), perf(w.a.emp, "2026Q2", 80), perf(w.a.emp, "2026Q3", 90),
		perf(w.a.emp2, "2026Q3", 60),
	}, trT0))
	got, err := w.s.Outcomes(ctx, w.a.id, c.ID)
	trMust(t, err)
	f := func(x float64) *float64 { return &x }
	want := []training.Outcome{
		{EnrolmentID: e1.ID, EmployeeID: w.a.emp.ID, Certified: true, SkillsBefore: e1.SkillsBefore,
			SkillsNow: []hr.Skill{{Name: "negotiation", Level: 3}}, Before: f(72), After: f(80)},
		{EnrolmentID: e2.ID, EmployeeID: w.a.emp2.ID, SkillsBefore: e2.SkillsBefore, SkillsNow: []hr.Skill{}, After: f(60)},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("outcomes (-want +got):\n%s", d)
	}
	none, err := w.s.Outcomes(ctx, w.b.id, c.ID)
	trMust(t, err)
	if len(none) != 0 {
		t.Errorf("B reads A's outcomes: %v", none)
	}
}

func testTrDue(t *testing.T, w trWorld) {
	ctx := context.Background()
	c, ses := trSeed(t, w) // reminds from 12 September
	later := trSession(c, hr.NewDate(2026, 9, 30), 5)
	cancelled := trSession(c, hr.NewDate(2026, 9, 14), 5)
	cancelled.Status = training.SessionCancelled
	trMust(t, w.s.InsertSession(ctx, w.a.id, later))
	trMust(t, w.s.InsertSession(ctx, w.a.id, cancelled))
	due := func(day hr.Date) []string {
		t.Helper()
		var ids []string
		trMust(t, w.tx.InTx(ctx, func(ctx context.Context) error {
			ss, err := w.s.DueSessions(ctx, w.a.id, day, 10)
			for _, x := range ss {
				ids = append(ids, x.ID)
			}
			return err
		}))
		return ids
	}
	if got := due(hr.NewDate(2026, 9, 11)); len(got) != 0 {
		t.Errorf("due on 11 September: %v", got)
	}
	if d := cmp.Diff([]string{ses.ID}, due(hr.NewDate(2026, 9, 12))); d != "" {
		t.Errorf("due on 12 September (-want +got):\n%s", d)
	}
	trMust(t, w.s.SetRemindOn(ctx, w.a.id, ses.ID, hr.Date{}))
	if d := cmp.Diff([]string{later.ID}, due(hr.NewDate(2026, 9, 30))); d != "" {
		t.Errorf("due on 30 September after clearing (-want +got):\n%s", d)
	}
	got, err := w.s.Session(ctx, w.a.id, ses.ID, false)
	trMust(t, err)
	if !got.RemindOn.IsZero() || got.Version != 1 {
		t.Errorf("cleared session: remind on %v, version %d", got.RemindOn, got.Version)
	}
}

func testTrRequired(t *testing.T, w trWorld) {
	ctx := context.Background()
	pos := ballast.NewID()
	got, err := w.s.RequiredSkills(ctx, w.a.id, pos)
	trMust(t, err)
	if len(got) != 0 {
		t.Errorf("required skills before any = %v", got)
	}
	trMust(t, w.s.PutRequiredSkills(ctx, w.a.id, pos, []training.SkillLevel{{Name: "Negotiation", Level: 4}, {Name: "Budgeting", Level: 3}}, trT0))
	trMust(t, w.s.PutRequiredSkills(ctx, w.a.id, pos, []training.SkillLevel{{Name: "Leadership", Level: 3}, {Name: "Negotiation", Level: 3}}, trT0))
	got, err = w.s.RequiredSkills(ctx, w.a.id, pos)
	trMust(t, err)
	if d := cmp.Diff([]training.SkillLevel{{Name: "Leadership", Level: 3}, {Name: "Negotiation", Level: 3}}, got); d != "" {
		t.Errorf("replaced required skills (-want +got):\n%s", d)
	}
	trMust(t, w.s.PutRequiredSkills(ctx, w.a.id, pos, nil, trT0))
	got, err = w.s.RequiredSkills(ctx, w.a.id, pos)
	trMust(t, err)
	if len(got) != 0 {
		t.Errorf("cleared required skills = %v", got)
	}
}

func testTrRollback(t *testing.T, w trWorld) {
	ctx := context.Background()
	boom := errors.New("boom")
	c := trCourse("NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3})
	ses := trSession(c, hr.NewDate(2026, 9, 14), 2)
	e := trEnrolment(ses, w.a.emp, training.Enrolled)
	pos := ballast.NewID()
	err := w.tx.InTx(ctx, func(ctx context.Context) error {
		if err := w.s.InsertCourse(ctx, w.a.id, c); err != nil {
			return err
		}
		if err := w.s.InsertSession(ctx, w.a.id, ses); err != nil {
			return err
		}
		if err := w.s.InsertEnrolment(ctx, w.a.id, e); err != nil {
			return err
		}
		if err := w.s.PutRequiredSkills(ctx, w.a.id, pos, []training.SkillLevel{{Name: "x", Level: 1}}, trT0); err != nil {
			return err
		}
		return boom
	})
	trIs(t, "the rolled-back transaction", err, boom)
	_, err = w.s.Course(ctx, w.a.id, c.ID)
	trIs(t, "the rolled-back course", err, ballast.ErrNotFound)
	_, err = w.s.Session(ctx, w.a.id, ses.ID, false)
	trIs(t, "the rolled-back session", err, ballast.ErrNotFound)
	_, err = w.s.Enrolment(ctx, w.a.id, e.ID)
	trIs(t, "the rolled-back enrolment", err, ballast.ErrNotFound)
	req, err := w.s.RequiredSkills(ctx, w.a.id, pos)
	trMust(t, err)
	built, err := w.s.CoursesBuilding(ctx, w.a.id, []string{"negotiation"})
	trMust(t, err)
	if len(req) != 0 || len(built) != 0 {
		t.Errorf("rolled-back skills survived: required %v, courses %v", req, built)
	}
}

func testTrIsolation(t *testing.T, w trWorld) {
	ctx := context.Background()
	c, ses := trSeed(t, w)
	e := trEnrolment(ses, w.a.emp, training.Enrolled)
	trMust(t, w.s.InsertEnrolment(ctx, w.a.id, e))
	pos := ballast.NewID()
	trMust(t, w.s.PutRequiredSkills(ctx, w.a.id, pos, []training.SkillLevel{{Name: "Negotiation", Level: 3}}, trT0))
	b := w.b.id
	_, err := w.s.Course(ctx, b, c.ID)
	trIs(t, "reading A's course as B", err, ballast.ErrNotFound)
	_, err = w.s.Session(ctx, b, ses.ID, false)
	trIs(t, "reading A's session as B", err, ballast.ErrNotFound)
	_, err = w.s.Enrolment(ctx, b, e.ID)
	trIs(t, "reading A's enrolment as B", err, ballast.ErrNotFound)
	c2 := c
	c2.Title, c2.Version = "stolen", 2
	trIs(t, "updating A's course as B", w.s.UpdateCourse(ctx, b, c2, 1), ballast.ErrNotFound)
	s2 := ses
	s2.Capacity, s2.Version = 99, 2
	trIs(t, "updating A's session as B", w.s.UpdateSession(ctx, b, s2, 1), ballast.ErrNotFound)
	e2 := e
	e2.Status, e2.Version = training.Cancelled, 2
	trIs(t, "updating A's enrolment as B", w.s.UpdateEnrolment(ctx, b, e2, 1), ballast.ErrNotFound)
	if n, err := w.s.CancelSessionEnrolments(ctx, b, ses.ID, "x", "x", trT0); err != nil || n != 0 {
		t.Errorf("B cancelled %d of A's enrolments (%v)", n, err)
	}
	trMust(t, w.s.SetRemindOn(ctx, b, ses.ID, hr.Date{}))
	// B may use A's course code: codes are unique per tenant.
	trMust(t, w.s.InsertCourse(ctx, b, trCourse(c.Code)))
	// B's session on A's course is refused by the key.
	if err := w.s.InsertSession(ctx, b, trSession(c, hr.NewDate(2026, 9, 20), 1)); err == nil {
		t.Error("B scheduled a session of A's course")
	}
	for name, q := range map[string]func() (int, error){
		"courses": func() (int, error) { r, err := w.s.ListCourses(ctx, b, training.CourseQuery{}); return len(r) - 1, err },
		"building": func() (int, error) {
			r, err := w.s.CoursesBuilding(ctx, b, []string{"negotiation"})
			return len(r), err
		},
		"sessions": func() (int, error) { r, err := w.s.ListSessions(ctx, b, training.SessionQuery{}); return len(r), err },
		"enrolments": func() (int, error) {
			r, err := w.s.ListEnrolments(ctx, b, training.EnrolmentQuery{SessionID: ses.ID})
			return len(r), err
		},
		"due": func() (int, error) {
			r, err := w.s.DueSessions(ctx, b, hr.NewDate(2030, 1, 1), 10)
			return len(r), err
		},
		"required": func() (int, error) { r, err := w.s.RequiredSkills(ctx, b, pos); return len(r), err },
		"certificates": func() (int, error) {
			r, err := w.s.Certificates(ctx, b, w.a.emp.ID)
			return len(r), err
		},
	} {
		n, err := q()
		trMust(t, err)
		if n != 0 {
			t.Errorf("B sees %d of A's %s", n, name)
		}
	}
	got, err := w.s.Session(ctx, w.a.id, ses.ID, false)
	trMust(t, err)
	if got.Enrolled != 1 || got.RemindOn.IsZero() || got.Version != 1 {
		t.Errorf("A's session changed under B: %+v", got)
	}
}
