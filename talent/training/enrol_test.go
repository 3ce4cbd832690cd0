package training_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/training"
)

func TestEnrol_WhoMayEnrolWhom(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		s := e.session(t, e.course(t, "NEG-101"), 20)
		for _, tc := range []struct {
			name string
			who  string
			emp  hr.Employee
			kind error // nil: allowed
		}{
			{"an employee enrols themselves", "emp", e.emp, nil},
			{"an employee may not enrol a colleague", "emp", e.emp2, ballast.ErrForbidden},
			{"a department head enrols their report", "head", e.emp2, nil},
			{"a department head may not enrol another department", "head", e.rd, ballast.ErrForbidden},
			{"HR enrols anyone", "hr", e.rd, nil},
			{"another tenant's HR finds nobody", "otherHR", e.hrP, ballast.ErrNotFound},
			{"no principal", "nobody", e.hrP, ballast.ErrUnauthenticated},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := e.svc.Enrol(e.as[tc.who], s.ID, tc.emp.ID)
				if tc.kind != nil {
					wantErr(t, "enrol", err, tc.kind)
					return
				}
				must(t, err)
				if got.Status != training.Enrolled || got.EmployeeID != tc.emp.ID {
					t.Errorf("enrolment = %+v", got)
				}
			})
		}
		es, err := e.svc.Enrolments(e.as["hr"], training.EnrolmentFilter{SessionID: s.ID})
		must(t, err)
		if len(es) != 3 || len(e.audits(t, training.ActionEnrol)) != 3 || len(e.messages(t, "training.enrolled")) != 3 {
			t.Errorf("%d enrolments, %d audit entries, %d notifications; want 3 each", len(es),
				len(e.audits(t, training.ActionEnrol)), len(e.messages(t, "training.enrolled")))
		}
	})
}

func TestEnrol_CapacityWaitlistAndPromotionInOrder(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		s := e.session(t, e.course(t, "NEG-101"), 2)
		a, err := e.svc.Enrol(e.as["hr"], s.ID, e.emp.ID)
		must(t, err)
		_, err = e.svc.Enrol(e.as["hr"], s.ID, e.emp2.ID)
		must(t, err)
		c, err := e.svc.Enrol(e.as["hr"], s.ID, e.rd.ID)
		must(t, err)
		d, err := e.svc.Enrol(e.as["hr"], s.ID, e.head.ID)
		must(t, err)
		if c.Status != training.Waitlisted || d.Status != training.Waitlisted {
			t.Fatalf("past capacity: %s, %s; want waitlisted", c.Status, d.Status)
		}
		got, err := e.svc.Session(e.as["emp"], s.ID)
		must(t, err)
		if got.Enrolled != 2 || got.Waitlisted != 2 {
			t.Errorf("seats %d taken, %d waiting; want 2 and 2", got.Enrolled, got.Waitlisted)
		}

		// Capacity below the seats taken is refused, nothing changes.
		p := training.SessionParams{Date: sessionDay, Start: "09:00", End: "17:00", Trainer: "Li Na", Location: "Room 3", Capacity: 1}
		_, err = e.svc.UpdateSession(e.as["hr"], s.ID, p, got.Version)
		if d := cmp.Diff([]string{"capacity"}, fields(t, err)); d != "" {
			t.Errorf("capacity below enrolled (-want +got):\n%s", d)
		}

		// A cancelled seat goes to the first on the waitlist.
		_, err = e.svc.CancelEnrolment(e.as["emp"], a.ID, "a client meeting", a.Version)
		must(t, err)
		if c, err = e.svc.Enrolment(e.as["hr"], c.ID); err != nil || c.Status != training.Enrolled {
			t.Errorf("first waitlisted after a cancellation: %s (%v), want enrolled", c.Status, err)
		}
		if d, err = e.svc.Enrolment(e.as["hr"], d.ID); err != nil || d.Status != training.Waitlisted {
			t.Errorf("second waitlisted after a cancellation: %s (%v), want waitlisted", d.Status, err)
		}

		// A larger capacity moves the rest up.
		got, err = e.svc.Session(e.as["hr"], s.ID)
		must(t, err)
		p.Capacity = 5
		up, err := e.svc.UpdateSession(e.as["hr"], s.ID, p, got.Version)
		must(t, err)
		if up.Enrolled != 3 || up.Waitlisted != 0 {
			t.Errorf("after raising capacity: %d taken, %d waiting; want 3 and 0", up.Enrolled, up.Waitlisted)
		}
		if ks := e.messages(t, "training.promoted"); len(ks) != 2 {
			t.Errorf("promotion notices %v, want 2", ks)
		}
		if es := e.audits(t, training.ActionPromote); len(es) != 2 {
			t.Errorf("%d promotion audit entries, want 2", len(es))
		}
	})
}

func TestEnrol_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.course(t, "NEG-101")
		s := e.session(t, c, 5)
		cancelled := e.session(t, c, 5)
		cancelled, err := e.svc.CancelSession(e.as["hr"], cancelled.ID, "trainer ill", cancelled.Version)
		must(t, err)
		past, err := e.svc.ScheduleSession(e.as["hr"], training.SessionParams{CourseID: c.ID, Date: hr.NewDate(2026, 9, 1),
			Start: "09:00", End: "17:00", Capacity: 5})
		must(t, err)
		_, err = e.svc.Enrol(e.as["emp"], s.ID, e.emp.ID)
		must(t, err)
		for _, tc := range []struct {
			name    string
			session string
			emp     hr.Employee
			kind    error
		}{
			{"a session in the past", past.ID, e.emp2, training.ErrSessionStarted},
			{"a cancelled session", cancelled.ID, e.emp2, training.ErrCancelled},
			{"a departed employee", s.ID, e.departed, training.ErrDeparted},
			{"a second enrolment", s.ID, e.emp, training.ErrAlreadyEnrolled},
			{"an unknown session", ballast.NewID(), e.emp2, ballast.ErrNotFound},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Enrol(e.as["hr"], tc.session, tc.emp.ID)
				wantErr(t, "enrol", err, tc.kind)
			})
		}
		wantErr(t, "departed is invalid input", training.ErrDeparted, ballast.ErrInvalid)
		es, err := e.svc.Enrolments(e.as["hr"], training.EnrolmentFilter{})
		must(t, err)
		if len(es) != 1 || len(e.audits(t, training.ActionEnrol)) != 1 {
			t.Errorf("refused enrolments left %d enrolments and %d audit entries, want 1", len(es), len(e.audits(t, training.ActionEnrol)))
		}

		// Cancelling: once the session has started, or twice, is refused.
		en := es[0]
		_, err = e.svc.CancelEnrolment(e.as["emp2"], en.ID, "", en.Version)
		wantErr(t, "a colleague cancels", err, ballast.ErrForbidden)
		e.clock.Set(at(sessionDay, 9, 30))
		_, err = e.svc.CancelEnrolment(e.as["emp"], en.ID, "", en.Version)
		wantErr(t, "cancel after the start", err, training.ErrSessionStarted)
		e.clock.Set(at(today, 9, 0))
		en, err = e.svc.CancelEnrolment(e.as["head"], en.ID, "rescheduled", en.Version)
		must(t, err)
		_, err = e.svc.CancelEnrolment(e.as["emp"], en.ID, "", en.Version)
		wantErr(t, "cancel twice", err, training.ErrCancelled)
		// Enrolling again after a cancellation is allowed.
		_, err = e.svc.Enrol(e.as["emp"], s.ID, e.emp.ID)
		must(t, err)
	})
}

func TestEnrolments_AreScopedToThePrincipal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		s := e.session(t, e.course(t, "NEG-101"), 10)
		for _, emp := range []hr.Employee{e.emp, e.emp2, e.rd} {
			_, err := e.svc.Enrol(e.as["hr"], s.ID, emp.ID)
			must(t, err)
		}
		for _, tc := range []struct {
			name string
			who  string
			f    training.EnrolmentFilter
			want []string
			kind error
		}{
			{"HR sees all", "hr", training.EnrolmentFilter{SessionID: s.ID}, []string{e.emp.ID, e.emp2.ID, e.rd.ID}, nil},
			{"the head sees Sales", "head", training.EnrolmentFilter{SessionID: s.ID}, []string{e.emp.ID, e.emp2.ID}, nil},
			{"the head asks for R&D", "head", training.EnrolmentFilter{EmployeeID: e.rd.ID}, []string{}, nil},
			{"an employee sees their own", "emp", training.EnrolmentFilter{EmployeeID: e.emp.ID}, []string{e.emp.ID}, nil},
			{"an employee asks for all", "emp", training.EnrolmentFilter{SessionID: s.ID}, nil, ballast.ErrForbidden},
			{"an employee asks for a colleague", "emp", training.EnrolmentFilter{EmployeeID: e.emp2.ID}, nil, ballast.ErrForbidden},
			{"another tenant's HR", "otherHR", training.EnrolmentFilter{SessionID: s.ID}, []string{}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				es, err := e.svc.Enrolments(e.as[tc.who], tc.f)
				if tc.kind != nil {
					wantErr(t, "list", err, tc.kind)
					return
				}
				must(t, err)
				got := []string{}
				for _, x := range es {
					got = append(got, x.EmployeeID)
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("employees (-want +got):\n%s", d)
				}
			})
		}
	})
}

func TestCancelSession_CancelsEnrolmentsAndTellsThePeople(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		s := e.session(t, e.course(t, "NEG-101"), 1)
		for _, emp := range []hr.Employee{e.emp, e.emp2} { // 赵敏 is waitlisted
			_, err := e.svc.Enrol(e.as["hr"], s.ID, emp.ID)
			must(t, err)
		}
		_, err := e.svc.CancelSession(e.as["hr"], s.ID, " ", s.Version)
		if d := cmp.Diff([]string{"reason"}, fields(t, err)); d != "" {
			t.Errorf("no reason (-want +got):\n%s", d)
		}
		_, err = e.svc.CancelSession(e.as["head"], s.ID, "trainer ill", s.Version)
		wantErr(t, "a department head", err, ballast.ErrForbidden)
		got, err := e.svc.CancelSession(e.as["hr"], s.ID, "trainer ill", s.Version)
		must(t, err)
		if got.Status != training.SessionCancelled || !got.RemindOn.IsZero() {
			t.Errorf("cancelled session = %+v", got)
		}
		es, err := e.svc.Enrolments(e.as["hr"], training.EnrolmentFilter{SessionID: s.ID})
		must(t, err)
		for _, en := range es {
			if en.Status != training.Cancelled || en.CancelReason != "trainer ill" {
				t.Errorf("enrolment after the session's cancellation: %+v", en)
			}
		}
		want := []string{"training.session_cancelled/" + s.ID + "/" + e.emp.ID, "training.session_cancelled/" + s.ID + "/" + e.emp2.ID}
		slices.Sort(want)
		if d := cmp.Diff(want, e.messages(t, "training.session_cancelled")); d != "" {
			t.Errorf("notices (-want +got):\n%s", d)
		}
		_, err = e.svc.CancelSession(e.as["hr"], s.ID, "again", got.Version)
		wantErr(t, "cancelling twice", err, training.ErrCancelled)
		_, err = e.svc.UpdateSession(e.as["hr"], s.ID, training.SessionParams{Date: sessionDay, Start: "09:00", End: "17:00", Capacity: 3}, got.Version)
		wantErr(t, "changing a cancelled session", err, training.ErrCancelled)
	})
}

func TestEnrol_ConcurrentEnrolmentsNeverOverfillASession(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		s := e.session(t, e.course(t, "NEG-101"), 2)
		emps := []hr.Employee{e.emp, e.emp2, e.rd, e.head, e.hrP}
		var wg sync.WaitGroup
		errs := make([]error, len(emps))
		for i, emp := range emps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Enrol(e.as["hr"], s.ID, emp.ID)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("enrolment %d: %v", i, err)
			}
		}
		got, err := e.svc.Session(e.as["hr"], s.ID)
		must(t, err)
		if got.Enrolled != 2 || got.Waitlisted != 3 {
			t.Errorf("after 5 concurrent enrolments: %d seated, %d waiting; want 2 and 3", got.Enrolled, got.Waitlisted)
		}
	})
}
