package hr_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

func ptr[T any](v T) *T { return &v }

func TestUpdateProfile_SelfServiceFieldsVersusHROnlyFields(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newEnv(t, db)
		d := e.dept(t, "Sales", "")
		me := e.hire(t, "E1", "Li Na", d.ID)
		colleague := e.hire(t, "E2", "Wang Fang", d.ID)
		target, err := e.svc.CreatePosition(e.hr, hr.PositionParams{Title: "Sales Manager", DepartmentID: d.ID})
		if err != nil {
			t.Fatal(err)
		}
		self := e.user(t, me.ID, access.RoleEmployee)

		// HR records the history.
		hrCert := hr.Certification{Name: "PMP", Issuer: "PMI", Issued: hr.NewDate(2023, 5, 1), Expires: hr.NewDate(2026, 5, 1)}
		p, err := e.svc.UpdateProfile(e.hr, me.ID, hr.ProfileUpdate{
			Performance:    &[]hr.PerformanceRecord{{Period: "2025H2", Score: 92, Grade: "A", Source: "assessment"}},
			Projects:       &[]hr.Project{{Name: "CRM", Role: "lead", Start: hr.NewDate(2024, 1, 1), CrossDepartment: true}},
			Management:     &[]hr.ManagementExperience{{TeamSize: 5, Start: hr.NewDate(2023, 1, 1)}},
			Certifications: &[]hr.Certification{hrCert},
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 {
			t.Fatalf("first write version = %d", p.Version)
		}

		// The employee maintains skills, career plan, own certifications, phone.
		own := hr.Certification{Name: "Go course", Issuer: "Coursera", Issued: hr.NewDate(2025, 9, 1), SelfReported: true}
		p, err = e.svc.UpdateProfile(self, me.ID, hr.ProfileUpdate{
			Version:        1,
			Phone:          ptr("+86 138 0013 8000"),
			Skills:         &[]hr.Skill{{Name: "negotiation", Level: 4}},
			CareerPlan:     &hr.CareerPlan{Direction: hr.DirectionManagement, TargetPositionID: target.ID},
			Certifications: &[]hr.Certification{hrCert, own},
		})
		if err != nil {
			t.Fatal(err)
		}
		want := hr.Profile{
			EmployeeID:     me.ID,
			Performance:    []hr.PerformanceRecord{{Period: "2025H2", PeriodEnd: hr.NewDate(2025, 12, 31), Score: 92, Grade: "A", Source: "assessment"}},
			Projects:       []hr.Project{{Name: "CRM", Role: "lead", Start: hr.NewDate(2024, 1, 1), CrossDepartment: true}},
			Certifications: []hr.Certification{hrCert, own},
			Skills:         []hr.Skill{{Name: "negotiation", Level: 4}},
			Management:     []hr.ManagementExperience{{TeamSize: 5, Start: hr.NewDate(2023, 1, 1)}},
			CareerPlan:     &hr.CareerPlan{Direction: hr.DirectionManagement, TargetPositionID: target.ID, UpdatedAt: t0},
			UpdatedAt:      t0,
			Version:        2,
		}
		got, err := e.svc.Profile(self, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("profile (-want +got):\n%s", diff)
		}
		emp, err := e.svc.Employee(self, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if emp.Phone != "+86 138 0013 8000" || emp.Version != 2 {
			t.Errorf("phone not on the employee record: %+v", emp)
		}

		before := len(e.entries(t, e.tenant))
		forbidden := []struct {
			name string
			ctx  context.Context
			id   string
			u    hr.ProfileUpdate
		}{
			{"self edits performance", self, me.ID, hr.ProfileUpdate{Version: 2, Performance: &[]hr.PerformanceRecord{{Period: "2025", Score: 100}}}},
			{"self edits projects", self, me.ID, hr.ProfileUpdate{Version: 2, Projects: &[]hr.Project{}}},
			{"self edits management", self, me.ID, hr.ProfileUpdate{Version: 2, Management: &[]hr.ManagementExperience{}}},
			{"self removes an hr certification", self, me.ID, hr.ProfileUpdate{Version: 2, Certifications: &[]hr.Certification{own}}},
			{"self forges an hr certification", self, me.ID, hr.ProfileUpdate{Version: 2, Certifications: &[]hr.Certification{hrCert, own, {Name: "CFA"}}}},
			{"employee edits a colleague's skills", self, colleague.ID, hr.ProfileUpdate{Skills: &[]hr.Skill{}}},
		}
		for _, tt := range forbidden {
			_, err := e.svc.UpdateProfile(tt.ctx, tt.id, tt.u)
			wantErr(t, tt.name, err, ballast.ErrForbidden)
		}
		_, err = e.svc.Profile(self, colleague.ID)
		wantErr(t, "employee reads a colleague's profile", err, ballast.ErrForbidden)
		_, err = e.svc.UpdateProfile(self, me.ID, hr.ProfileUpdate{Version: 1, Skills: &[]hr.Skill{}})
		wantErr(t, "stale version", err, ballast.ErrConflict)
		_, err = e.svc.UpdateProfile(self, me.ID, hr.ProfileUpdate{Version: 2,
			Skills:     &[]hr.Skill{{Name: "", Level: 9}, {Name: "go", Level: 3}, {Name: "go", Level: 2}},
			CareerPlan: &hr.CareerPlan{Direction: "astronaut", TargetPositionID: ballast.NewID()},
			Phone:      ptr("call me")})
		if diff := cmp.Diff([]string{"phone", "skills[0].name", "skills[0].level", "skills[2].name",
			"career_plan.direction", "career_plan.target_position_id"}, fields(t, err)); diff != "" {
			t.Errorf("bad self-service fields (-want +got):\n%s", diff)
		}
		if after := len(e.entries(t, e.tenant)); after != before {
			t.Errorf("refused updates appended %d audit entries", after-before)
		}
		got, err = e.svc.Profile(e.hr, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("refused updates changed the profile (-want +got):\n%s", diff)
		}
		// The change is evidence, field by field.
		es := e.entries(t, e.tenant)
		var paths []string
		for _, c := range es[len(es)-1].Changes {
			paths = append(paths, c.Path)
		}
		if diff := cmp.Diff([]string{"Certifications[1]", "Skills[0]", "CareerPlan", "Version", "Phone"}, paths); diff != "" {
			t.Errorf("audit paths of the self-service update (-want +got):\n%s", diff)
		}
	})
}

// failingStore is the real store whose n-th write fails: a use case that
// fails half-way must leave no trace.
type failingStore struct {
	hr.Store
	writes, failAt int
}

var errInjected = errors.New("injected failure")

func (s *failingStore) write() error {
	s.writes++
	if s.writes == s.failAt {
		return errInjected
	}
	return nil
}

func (s *failingStore) PutProfile(ctx context.Context, tenant string, p hr.Profile, v int64) error {
	if err := s.write(); err != nil {
		return err
	}
	return s.Store.PutProfile(ctx, tenant, p, v)
}

func (s *failingStore) UpdateEmployee(ctx context.Context, tenant string, e hr.Employee, v int64) error {
	if err := s.write(); err != nil {
		return err
	}
	return s.Store.UpdateEmployee(ctx, tenant, e, v)
}

// failingAuditor fails every append after the store has written.
type failingAuditor struct{}

func (failingAuditor) Append(context.Context, audit.Record) (audit.Entry, error) {
	return audit.Entry{}, errInjected
}

func TestUpdateProfile_FailureAfterTheFirstWriteLeavesNoTrace(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		fs := &failingStore{Store: db.HR()}
		e := newEnvWithStore(t, db, fs)
		d := e.dept(t, "Sales", "")
		me := e.hire(t, "E1", "Li Na", d.ID)
		self := e.user(t, me.ID, access.RoleEmployee)
		before := len(e.entries(t, e.tenant))
		fs.writes, fs.failAt = 0, 2 // the profile is written, then the phone fails
		_, err := e.svc.UpdateProfile(self, me.ID, hr.ProfileUpdate{Phone: ptr("123"), Skills: &[]hr.Skill{{Name: "go", Level: 3}}})
		if !errors.Is(err, errInjected) {
			t.Fatalf("UpdateProfile = %v, want the injected failure", err)
		}
		if fs.writes != 2 {
			t.Fatalf("%d writes attempted, want 2", fs.writes)
		}
		p, err := e.svc.Profile(self, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 0 || len(p.Skills) != 0 {
			t.Errorf("the profile write survived the failure: %+v", p)
		}
		if after := len(e.entries(t, e.tenant)); after != before {
			t.Errorf("%d audit entries survived the failure", after-before)
		}
		// A failing audit append after a hire's insert undoes the insert.
		svc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: e.access, Audit: failingAuditor{}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.HireEmployee(e.hr, hr.EmployeeParams{Number: "E2", Name: "Ghost", DepartmentID: d.ID,
			HireDate: hr.NewDate(2024, 1, 1), HireChannel: hr.ChannelCampus})
		if !errors.Is(err, errInjected) {
			t.Fatalf("HireEmployee = %v, want the injected failure", err)
		}
		if n := e.employeeCount(t, e.tenant); n != 1 {
			t.Errorf("%d employees after a failed hire, want 1", n)
		}
	})
}
