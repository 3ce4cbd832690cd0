package training_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
	"github.com/ballast-hr/ballast/talent/training"
)

func TestNew_NamesEachMissingPart(t *testing.T) {
	t.Parallel()
	_, err := training.New(training.Config{})
	if d := cmp.Diff([]string{"Audit", "Auth", "HR", "Outbox", "Store", "Tx"}, fields(t, err)); d != "" {
		t.Errorf("missing parts (-want +got):\n%s", d)
	}
}

func TestCreateCourse_RefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		e.course(t, "NEG-101")
		good := training.CourseParams{Code: "LEAD-1", Title: "Leadership", Kind: training.Online, Hours: 4, PassMark: 70,
			Skills: []training.SkillLevel{{Name: "Leadership", Level: 3}}}
		for _, tc := range []struct {
			name   string
			who    string
			mod    func(p *training.CourseParams)
			kind   error
			fields []string
		}{
			{"every bad field at once", "hr", func(p *training.CourseParams) {
				p.Code, p.Title, p.Kind, p.Hours, p.PassMark = "has space", "", "webinar", 0, 101
				p.Skills = []training.SkillLevel{{Name: "", Level: 6}, {Name: "x", Level: 2}, {Name: "X", Level: 2}}
			}, ballast.ErrInvalid, []string{"code", "hours", "kind", "pass_mark", "skills[0].level", "skills[0].name", "skills[2].name", "title"}},
			{"a duplicate code", "hr", func(p *training.CourseParams) { p.Code = "NEG-101" }, ballast.ErrConflict, nil},
			{"an employee", "emp", nil, ballast.ErrForbidden, nil},
			{"a department head", "head", nil, ballast.ErrForbidden, nil},
			{"no principal", "nobody", nil, ballast.ErrUnauthenticated, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := good
				if tc.mod != nil {
					tc.mod(&p)
				}
				_, err := e.svc.CreateCourse(e.as[tc.who], p)
				wantErr(t, "create", err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		cs, err := e.svc.Courses(e.as["emp"], training.CourseFilter{})
		must(t, err)
		if len(cs) != 1 || len(e.audits(t, training.ActionCourseCreate)) != 1 {
			t.Errorf("refused creations left %d courses and %d audit entries", len(cs), len(e.audits(t, training.ActionCourseCreate)))
		}
	})
}

func TestUpdateCourse_ReplacesFieldsUnderTheVersion(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.course(t, "NEG-101")
		p := training.CourseParams{Code: "NEG-201", Title: "Advanced negotiation", Kind: training.Online, Hours: 12, PassMark: 75,
			Skills: []training.SkillLevel{{Name: "Negotiation", Level: 4}}, IndicatorCode: "deal_margin"}
		_, err := e.svc.UpdateCourse(e.as["hr"], c.ID, p, c.Version+1)
		wantErr(t, "a stale version", err, ballast.ErrConflict)
		got, err := e.svc.UpdateCourse(e.as["hr"], c.ID, p, c.Version)
		must(t, err)
		read, err := e.svc.Course(e.as["emp"], c.ID)
		must(t, err)
		if d := cmp.Diff(got, read); d != "" || read.Code != "NEG-201" || read.Version != 2 || read.Skills[0].Level != 4 {
			t.Errorf("updated course = %+v (-returned +read):\n%s", read, d)
		}
		if es := e.audits(t, training.ActionCourseUpdate); len(es) != 1 {
			t.Errorf("%d update audit entries, want 1", len(es))
		}
		_, err = e.svc.Course(e.as["otherHR"], c.ID)
		wantErr(t, "another tenant's HR", err, ballast.ErrNotFound)
	})
}

func TestScheduleSession_ReadsTheWindowInTheTenantZone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.course(t, "NEG-101")
		s := e.session(t, c, 20)
		if !s.StartsAt.Equal(at(sessionDay, 9, 0)) || !s.EndsAt.Equal(at(sessionDay, 17, 0)) {
			t.Errorf("window %v – %v, want 09:00–17:00 Shanghai", s.StartsAt, s.EndsAt)
		}
		if got := s.RemindOn.String(); got != "2026-09-12" {
			t.Errorf("remind on %s, want 2026-09-12 (two days before)", got)
		}
		for _, tc := range []struct {
			name   string
			p      training.SessionParams
			fields []string
		}{
			{"end before start, no capacity", training.SessionParams{CourseID: c.ID, Date: sessionDay, Start: "17:00", End: "09:00"}, []string{"capacity", "end"}},
			{"bad times and date", training.SessionParams{CourseID: c.ID, Start: "9am", End: "25:00", Capacity: 5}, []string{"date", "end", "start"}},
			{"end date before date", training.SessionParams{CourseID: c.ID, Date: sessionDay, EndDate: today, Start: "09:00", End: "10:00", Capacity: 5}, []string{"end_date"}},
		} {
			_, err := e.svc.ScheduleSession(e.as["hr"], tc.p)
			if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
				t.Errorf("%s: fields (-want +got):\n%s", tc.name, d)
			}
		}
		_, err := e.svc.ScheduleSession(e.as["hr"], training.SessionParams{CourseID: ballast.NewID(), Date: sessionDay, Start: "09:00", End: "10:00", Capacity: 5})
		wantErr(t, "an unknown course", err, ballast.ErrNotFound)
		multi, err := e.svc.ScheduleSession(e.as["hr"], training.SessionParams{CourseID: c.ID, Date: sessionDay,
			EndDate: hr.NewDate(2026, 9, 15), Start: "09:00", End: "12:00", Capacity: 5})
		must(t, err)
		if !multi.EndsAt.Equal(at(hr.NewDate(2026, 9, 15), 12, 0)) {
			t.Errorf("a two-day session ends %v, want 15 September 12:00 Shanghai", multi.EndsAt)
		}
		ss, err := e.svc.Sessions(e.as["emp"], training.SessionFilter{CourseID: c.ID})
		must(t, err)
		if len(ss) < 1 || ss[0].ID != s.ID {
			t.Errorf("sessions = %v", ss)
		}
	})
}
