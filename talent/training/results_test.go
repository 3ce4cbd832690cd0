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

func TestResults_CertificateOnAttendanceAndAPass(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.course(t, "NEG-101")
		s := e.session(t, c, 2)
		pass, err := e.svc.Enrol(e.as["hr"], s.ID, e.emp.ID)
		must(t, err)
		fail, err := e.svc.Enrol(e.as["hr"], s.ID, e.emp2.ID)
		must(t, err)
		wait, err := e.svc.Enrol(e.as["hr"], s.ID, e.rd.ID)
		must(t, err)

		_, err = e.svc.RecordAttendance(e.as["hr"], s.ID, []training.Attendance{{EnrolmentID: pass.ID, Attended: true}})
		wantErr(t, "attendance before the start", err, training.ErrNotStarted)
		e.clock.Set(at(sessionDay, 17, 30))

		for _, tc := range []struct {
			name   string
			who    string
			call   func() error
			kind   error
			fields []string
		}{
			{"a score out of range", "hr", func() error {
				_, err := e.svc.RecordScores(e.as["hr"], s.ID, []training.ExamScore{{EnrolmentID: pass.ID, Score: 80}, {EnrolmentID: fail.ID, Score: 101}})
				return err
			}, ballast.ErrInvalid, []string{"scores[1].score"}},
			{"a waitlisted and an unknown enrolment", "hr", func() error {
				_, err := e.svc.RecordAttendance(e.as["hr"], s.ID, []training.Attendance{{EnrolmentID: pass.ID, Attended: true},
					{EnrolmentID: wait.ID, Attended: true}, {EnrolmentID: ballast.NewID(), Attended: true}, {EnrolmentID: pass.ID}})
				return err
			}, ballast.ErrInvalid, []string{"attendance[1].enrolment_id", "attendance[2].enrolment_id", "attendance[3].enrolment_id"}},
			{"an empty batch", "hr", func() error {
				_, err := e.svc.RecordScores(e.as["hr"], s.ID, nil)
				return err
			}, ballast.ErrInvalid, []string{"scores"}},
			{"a department head", "head", func() error {
				_, err := e.svc.RecordScores(e.as["head"], s.ID, []training.ExamScore{{EnrolmentID: pass.ID, Score: 80}})
				return err
			}, ballast.ErrForbidden, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.call()
				wantErr(t, "record", err, tc.kind)
				if tc.fields != nil {
					if d := cmp.Diff(tc.fields, fields(t, err)); d != "" {
						t.Errorf("fields (-want +got):\n%s", d)
					}
				}
			})
		}
		for _, id := range []string{pass.ID, fail.ID} {
			got, err := e.svc.Enrolment(e.as["hr"], id)
			must(t, err)
			if got.Attended != nil || got.Score != nil || got.Version != 1 {
				t.Errorf("a refused batch changed enrolment %s: %+v", id, got)
			}
		}

		// A score first, then attendance: the certificate comes with the second.
		got, err := e.svc.RecordScores(e.as["hr"], s.ID, []training.ExamScore{{EnrolmentID: pass.ID, Score: 82.5}, {EnrolmentID: fail.ID, Score: 59.5}})
		must(t, err)
		if got[0].CertificateID != "" || !got[0].Passed || got[1].Passed {
			t.Errorf("after scores: %+v", got)
		}
		got, err = e.svc.RecordAttendance(e.as["hr"], s.ID, []training.Attendance{{EnrolmentID: pass.ID, Attended: true}, {EnrolmentID: fail.ID, Attended: true}})
		must(t, err)
		if got[0].CertificateID == "" || got[1].CertificateID != "" {
			t.Fatalf("certificates after attendance: pass %q, fail %q", got[0].CertificateID, got[1].CertificateID)
		}
		certs, err := e.svc.Certificates(e.as["emp"], e.emp.ID)
		must(t, err)
		want := []training.Certificate{{ID: got[0].CertificateID, EnrolmentID: pass.ID, EmployeeID: e.emp.ID, CourseID: c.ID,
			CourseCode: c.Code, CourseTitle: c.Title, SessionDate: sessionDay, Score: 82.5, IssuedAt: got[0].CertifiedAt}}
		if d := cmp.Diff(want, certs); d != "" {
			t.Errorf("certificates (-want +got):\n%s", d)
		}
		_, err = e.svc.Certificates(e.as["emp2"], e.emp.ID)
		wantErr(t, "a colleague's certificates", err, ballast.ErrForbidden)
		if _, err := e.svc.Certificates(e.as["head"], e.emp.ID); err != nil {
			t.Errorf("the department head reads certificates: %v", err)
		}
		if n := len(e.audits(t, training.ActionCertificate)); n != 1 {
			t.Errorf("%d certificate audit entries, want 1", n)
		}
		if ks := e.messages(t, "training.certificate"); len(ks) != 1 {
			t.Errorf("certificate notices %v, want 1", ks)
		}

		// Marked absent afterwards, the certificate is withdrawn.
		got, err = e.svc.RecordAttendance(e.as["hr"], s.ID, []training.Attendance{{EnrolmentID: pass.ID, Attended: false}})
		must(t, err)
		if got[0].CertificateID != "" {
			t.Errorf("an absent enrolment keeps certificate %s", got[0].CertificateID)
		}
		certs, err = e.svc.Certificates(e.as["hr"], e.emp.ID)
		must(t, err)
		if len(certs) != 0 {
			t.Errorf("certificates after absence: %v", certs)
		}
	})
}

func TestEffect_ComparesSkillsAndPerformanceAroundTheSession(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		c := e.course(t, "NEG-101", training.SkillLevel{Name: "Negotiation", Level: 3}, training.SkillLevel{Name: "Pricing", Level: 2})
		e.skills(t, e.emp, hr.Skill{Name: "negotiation", Level: 1})
		e.skills(t, e.emp2, hr.Skill{Name: "Negotiation", Level: 2}, hr.Skill{Name: "Pricing", Level: 1})
		must(t, e.hr.RecordPerformance(e.sys, []hr.PerformanceEntry{
			{EmployeeID: e.emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: 70}},
			{EmployeeID: e.emp.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H2", Score: 80}},
			{EmployeeID: e.emp2.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: 60}},
			{EmployeeID: e.emp2.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H2", Score: 66}},
			{EmployeeID: e.rd.ID, PerformanceRecord: hr.PerformanceRecord{Period: "2026H1", Score: 90}},
		}))
		s := e.session(t, c, 5)
		var ids []string
		for _, emp := range []hr.Employee{e.emp, e.emp2, e.rd} {
			en, err := e.svc.Enrol(e.as["hr"], s.ID, emp.ID)
			must(t, err)
			ids = append(ids, en.ID)
		}
		e.clock.Set(at(sessionDay, 18, 0))
		_, err := e.svc.RecordAttendance(e.as["hr"], s.ID, []training.Attendance{{EnrolmentID: ids[0], Attended: true},
			{EnrolmentID: ids[1], Attended: true}, {EnrolmentID: ids[2], Attended: false}})
		must(t, err)
		_, err = e.svc.RecordScores(e.as["hr"], s.ID, []training.ExamScore{{EnrolmentID: ids[0], Score: 90}, {EnrolmentID: ids[1], Score: 40}})
		must(t, err)
		// After the course: 王丽 reaches 3, 赵敏 3 in negotiation and 2 in pricing.
		e.skills(t, e.emp, hr.Skill{Name: "Negotiation", Level: 3})
		e.skills(t, e.emp2, hr.Skill{Name: "Negotiation", Level: 3}, hr.Skill{Name: "Pricing", Level: 2})

		got, err := e.svc.Effect(e.as["hr"], c.ID)
		must(t, err)
		want := training.Effect{CourseID: c.ID, Attended: 2, Certified: 1,
			Skills: []training.SkillEffect{
				{Name: "Negotiation", Target: 3, Measure: training.Measure{Measured: 2, Before: 1.5, After: 3, Change: 1.5}},
				{Name: "Pricing", Target: 2, Measure: training.Measure{Measured: 2, Before: 0.5, After: 1, Change: 0.5}},
			},
			Performance: training.Measure{Measured: 2, Before: 65, After: 73, Change: 8}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("effect (-want +got):\n%s", d)
		}
		_, err = e.svc.Effect(e.as["head"], c.ID)
		wantErr(t, "a department head", err, ballast.ErrForbidden)
	})
}

func TestSkillGaps_SuggestCoursesThatBuildTheMissingSkills(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		neg1 := e.course(t, "NEG-101", training.SkillLevel{Name: "Negotiation", Level: 2})
		neg2 := e.course(t, "NEG-201", training.SkillLevel{Name: "Negotiation", Level: 4})
		lead := e.course(t, "LEAD-1", training.SkillLevel{Name: "Leadership", Level: 3}, training.SkillLevel{Name: "negotiation", Level: 3})
		e.course(t, "XLS-1", training.SkillLevel{Name: "Spreadsheets", Level: 4})
		_, err := e.svc.SetRequiredSkills(e.as["hr"], e.position.ID, []training.SkillLevel{{Name: "Negotiation", Level: 4},
			{Name: "Leadership", Level: 3}, {Name: "Spreadsheets", Level: 2}, {Name: "Coaching", Level: 2}})
		must(t, err)
		e.skills(t, e.emp, hr.Skill{Name: "negotiation", Level: 2}, hr.Skill{Name: "Spreadsheets", Level: 3})

		got, err := e.svc.SkillGaps(e.as["emp"], e.emp.ID, e.position.ID)
		must(t, err)
		want := training.GapReport{EmployeeID: e.emp.ID, PositionID: e.position.ID,
			Met: []training.SkillLevel{{Name: "Spreadsheets", Level: 3}},
			Gaps: []training.Gap{
				{Name: "Coaching", Required: 2, Current: 0, Courses: []training.Course{}},
				{Name: "Leadership", Required: 3, Current: 0, Courses: []training.Course{lead}},
				{Name: "Negotiation", Required: 4, Current: 2, Courses: []training.Course{neg2, lead}},
			}}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("gaps (-want +got):\n%s", d)
		}
		_ = neg1 // builds negotiation only to 2, the level already held: not suggested

		for _, tc := range []struct {
			name string
			who  string
			emp  hr.Employee
			kind error
		}{
			{"a colleague", "emp2", e.emp, ballast.ErrForbidden},
			{"the department head", "head", e.emp, nil},
			{"another tenant", "otherHR", e.emp, ballast.ErrNotFound},
		} {
			_, err := e.svc.SkillGaps(e.as[tc.who], tc.emp.ID, e.position.ID)
			if tc.kind == nil {
				must(t, err)
			} else {
				wantErr(t, tc.name, err, tc.kind)
			}
		}
		_, err = e.svc.SetRequiredSkills(e.as["hr"], e.position.ID, []training.SkillLevel{{Name: "Coaching", Level: 9}, {Name: "coaching", Level: 2}})
		if d := cmp.Diff([]string{"skills[0].level", "skills[1].name"}, fields(t, err)); d != "" {
			t.Errorf("bad required skills (-want +got):\n%s", d)
		}
		_, err = e.svc.SetRequiredSkills(e.as["head"], e.position.ID, nil)
		wantErr(t, "a department head sets required skills", err, ballast.ErrForbidden)
		_, err = e.svc.SetRequiredSkills(e.as["hr"], ballast.NewID(), nil)
		wantErr(t, "an unknown position", err, ballast.ErrNotFound)
		req, err := e.svc.RequiredSkills(e.as["emp"], e.position.ID)
		must(t, err)
		if len(req) != 4 || len(e.audits(t, training.ActionRequiredSkills)) != 1 {
			t.Errorf("refused changes touched the requirements: %v", req)
		}
	})
}
