package mentoring_test

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/mentoring"
)

func TestNew_NamesEachMissingPart(t *testing.T) {
	t.Parallel()
	_, err := mentoring.New(mentoring.Config{})
	if d := cmp.Diff([]string{"Audit", "Auth", "HR", "Outbox", "Store", "Tx"}, fields(t, err)); d != "" {
		t.Errorf("missing parts (-want +got):\n%s", d)
	}
}

func TestStart_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		first := e.start(t, e.rd, e.emp)
		good := mentoring.StartParams{MentorID: e.rd.ID, MenteeID: e.emp2.ID, Goals: []string{"Own a key account"},
			Start: hr.NewDate(2026, 3, 1), End: hr.NewDate(2026, 8, 31)}
		for _, tc := range []struct {
			name   string
			who    string
			mod    func(p *mentoring.StartParams)
			kind   error
			fields []string
		}{
			{"the mentor is the mentee", "hr", func(p *mentoring.StartParams) { p.MentorID = p.MenteeID }, ballast.ErrInvalid, []string{"mentor_id"}},
			{"every bad field at once", "hr", func(p *mentoring.StartParams) {
				p.MentorID, p.Goals, p.End = "", []string{" "}, p.Start
			}, ballast.ErrInvalid, []string{"end", "goals[0]", "mentor_id"}},
			{"no goals, no dates", "hr", func(p *mentoring.StartParams) {
				p.Goals, p.Start, p.End = nil, hr.Date{}, hr.Date{}
			}, ballast.ErrInvalid, []string{"end", "goals", "start"}},
			{"a departed mentee", "hr", func(p *mentoring.StartParams) { p.MenteeID = e.departed.ID }, mentoring.ErrDeparted, nil},
			{"a departed mentor", "hr", func(p *mentoring.StartParams) { p.MentorID = e.departed.ID }, mentoring.ErrDeparted, nil},
			{"an overlapping active mentorship of the pair", "hr", func(p *mentoring.StartParams) { p.MenteeID = e.emp.ID }, mentoring.ErrOverlap, nil},
			{"an unknown mentor", "hr", func(p *mentoring.StartParams) { p.MentorID = ballast.NewID() }, ballast.ErrNotFound, nil},
			{"an employee", "emp", nil, ballast.ErrForbidden, nil},
			{"the Sales head for an R&D mentee", "head", func(p *mentoring.StartParams) { p.MentorID, p.MenteeID = e.emp.ID, e.rd.ID }, ballast.ErrForbidden, nil},
			{"another tenant's HR", "otherHR", nil, ballast.ErrNotFound, nil},
			{"no principal", "nobody", nil, ballast.ErrUnauthenticated, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := good
				if tc.mod != nil {
					tc.mod(&p)
				}
				_, err := e.svc.Start(e.as[tc.who], p)
				wantErr(t, "start", err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		ms, err := e.svc.Mentorships(e.as["hr"], mentoring.Filter{})
		must(t, err)
		if len(ms) != 1 || len(e.audits(t, mentoring.ActionStart)) != 1 || len(e.messages(t, "mentoring.started")) != 1 {
			t.Errorf("refused starts left %d mentorships", len(ms))
		}

		// The Sales head starts one for a Sales mentee; the same pair may
		// meet again once the first has closed.
		if _, err := e.svc.Start(e.as["head"], good); err != nil {
			t.Errorf("the Sales head starts a Sales mentee's mentorship: %v", err)
		}
		_, err = e.svc.Close(e.as["hr"], first.ID, mentoring.Completed, "", first.Version)
		must(t, err)
		again := good
		again.MenteeID = e.emp.ID
		if _, err := e.svc.Start(e.as["hr"], again); err != nil {
			t.Errorf("the pair again after closing: %v", err)
		}
	})
}

func TestUpdateAndClose_FollowTheVersionAndStatus(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		m := e.start(t, e.rd, e.emp)
		p := mentoring.UpdateParams{Goals: []string{"Lead key accounts", "Coach a junior"}, End: hr.NewDate(2027, 6, 30)}
		_, err := e.svc.Update(e.as["hr"], m.ID, p, m.Version+1)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		_, err = e.svc.Update(e.as["emp"], m.ID, p, m.Version)
		wantErr(t, "the mentee", err, ballast.ErrForbidden)
		_, err = e.svc.Update(e.as["hr"], m.ID, mentoring.UpdateParams{Goals: p.Goals, End: hr.NewDate(2025, 1, 1)}, m.Version)
		if d := cmp.Diff([]string{"end"}, fields(t, err)); d != "" {
			t.Errorf("an end before the start (-want +got):\n%s", d)
		}
		m, err = e.svc.Update(e.as["head"], m.ID, p, m.Version)
		must(t, err)
		if d := cmp.Diff(p.Goals, m.Goals); d != "" || m.End != p.End || m.Version != 2 {
			t.Errorf("updated mentorship %+v (goals -want +got):\n%s", m, d)
		}
		_, err = e.svc.Close(e.as["hr"], m.ID, mentoring.Cancelled, "", m.Version)
		if d := cmp.Diff([]string{"reason"}, fields(t, err)); d != "" {
			t.Errorf("cancelling without a reason (-want +got):\n%s", d)
		}
		_, err = e.svc.Close(e.as["hr"], m.ID, mentoring.Active, "x", m.Version)
		if d := cmp.Diff([]string{"status"}, fields(t, err)); d != "" {
			t.Errorf("closing as active (-want +got):\n%s", d)
		}
		m, err = e.svc.Close(e.as["hr"], m.ID, mentoring.Cancelled, "the mentor moved abroad", m.Version)
		must(t, err)
		if m.Status != mentoring.Cancelled || m.ClosedOn != today || m.ClosedBy != e.hrP.ID {
			t.Errorf("closed mentorship = %+v", m)
		}
		_, err = e.svc.Close(e.as["hr"], m.ID, mentoring.Completed, "", m.Version)
		wantErr(t, "closing twice", err, mentoring.ErrClosed)
		_, err = e.svc.Update(e.as["hr"], m.ID, p, m.Version)
		wantErr(t, "updating a closed one", err, mentoring.ErrClosed)
		if n := len(e.audits(t, "mentoring.")); n != 3 {
			t.Errorf("%d audit entries (start, update, close), want 3", n)
		}
	})
}

func TestLogMeeting_ParticipantsKeepTheirLog(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		m := e.start(t, e.rd, e.emp)
		mp := func(d hr.Date, notes string) mentoring.MeetingParams {
			return mentoring.MeetingParams{Date: d, Notes: notes, NextSteps: "Draft the pitch"}
		}
		for _, tc := range []struct {
			name   string
			who    string
			p      mentoring.MeetingParams
			kind   error
			fields []string
		}{
			{"the mentee", "emp", mp(hr.NewDate(2026, 3, 12), "pipeline review"), nil, nil},
			{"the mentor", "rd", mp(hr.NewDate(2026, 2, 3), "kick-off"), nil, nil},
			{"the mentee's department head", "head", mp(hr.NewDate(2026, 4, 1), "check-in"), nil, nil},
			{"a colleague", "emp2", mp(hr.NewDate(2026, 4, 2), "x"), ballast.ErrForbidden, nil},
			{"a future date", "emp", mp(hr.NewDate(2026, 9, 8), "x"), ballast.ErrInvalid, []string{"date"}},
			{"before the start", "emp", mp(hr.NewDate(2025, 12, 31), "x"), ballast.ErrInvalid, []string{"date"}},
			{"no notes, no date", "emp", mentoring.MeetingParams{}, ballast.ErrInvalid, []string{"date", "notes"}},
			{"another tenant", "otherHR", mp(hr.NewDate(2026, 4, 2), "x"), ballast.ErrNotFound, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.LogMeeting(e.as[tc.who], m.ID, tc.p)
				if tc.kind == nil {
					must(t, err)
					return
				}
				wantErr(t, "log", err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		log, err := e.svc.Meetings(e.as["emp"], m.ID)
		must(t, err)
		var notes []string
		for _, x := range log {
			notes = append(notes, x.Notes)
		}
		if d := cmp.Diff([]string{"kick-off", "pipeline review", "check-in"}, notes); d != "" {
			t.Errorf("log by date (-want +got):\n%s", d)
		}
		_, err = e.svc.Meetings(e.as["emp2"], m.ID)
		wantErr(t, "a colleague reads the log", err, ballast.ErrForbidden)
		m, err = e.svc.Close(e.as["hr"], m.ID, mentoring.Completed, "", m.Version)
		must(t, err)
		_, err = e.svc.LogMeeting(e.as["emp"], m.ID, mp(hr.NewDate(2026, 5, 1), "late"))
		wantErr(t, "a closed mentorship", err, mentoring.ErrClosed)
		if n := len(e.audits(t, mentoring.ActionMeeting)); n != 3 {
			t.Errorf("%d meeting audit entries, want 3", n)
		}
	})
}

func TestMentorships_AreScopedToThePrincipal(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		m1 := e.start(t, e.rd, e.emp)   // Sales mentee
		m2 := e.start(t, e.emp2, e.rd)  // R&D mentee, Sales mentor
		m3 := e.start(t, e.hrP, e.emp2) // Sales mentee
		for _, tc := range []struct {
			name string
			who  string
			f    mentoring.Filter
			want []string
			kind error
		}{
			{"HR sees all", "hr", mentoring.Filter{}, []string{m1.ID, m2.ID, m3.ID}, nil},
			{"the Sales head sees Sales mentees", "head", mentoring.Filter{}, []string{m1.ID, m3.ID}, nil},
			{"an employee sees their own", "emp2", mentoring.Filter{Mine: true}, []string{m2.ID, m3.ID}, nil},
			{"an employee asks for all", "emp2", mentoring.Filter{}, nil, ballast.ErrForbidden},
			{"another tenant's HR", "otherHR", mentoring.Filter{}, []string{}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ms, err := e.svc.Mentorships(e.as[tc.who], tc.f)
				if tc.kind != nil {
					wantErr(t, "list", err, tc.kind)
					return
				}
				must(t, err)
				got := []string{}
				for _, m := range ms {
					got = append(got, m.ID)
				}
				if d := cmp.Diff(tc.want, got); d != "" {
					t.Errorf("mentorships (-want +got):\n%s", d)
				}
			})
		}
		if _, err := e.svc.Mentorship(e.as["head"], m2.ID); !errorsIs(err, ballast.ErrForbidden) {
			t.Errorf("the Sales head reads an R&D mentee's mentorship: %v", err)
		}
		if _, err := e.svc.Mentorship(e.as["rd"], m1.ID); err != nil {
			t.Errorf("the mentor reads their mentorship: %v", err)
		}
	})
}

func TestStart_ConcurrentOverlappingStartsOnlyOneWins(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		const n = 4
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Start(e.as["hr"], mentoring.StartParams{MentorID: e.rd.ID, MenteeID: e.emp.ID,
					Goals: []string{"grow"}, Start: hr.NewDate(2026, 1, 1+i), End: hr.NewDate(2026, 12, 31)})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errorsIs(err, mentoring.ErrOverlap):
				t.Errorf("a losing start: %v, want ErrOverlap", err)
			}
		}
		ms, err := e.svc.Mentorships(e.as["hr"], mentoring.Filter{})
		must(t, err)
		if won != 1 || len(ms) != 1 {
			t.Errorf("%d starts won, %d mentorships stored; want 1 and 1", won, len(ms))
		}
	})
}
