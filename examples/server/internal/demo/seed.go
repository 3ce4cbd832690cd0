package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// seeder carries the IDs created so far, by roster key.
type seeder struct {
	cfg       Config
	now       time.Time
	loc       *time.Location
	depts     map[string]hr.Department
	positions map[string]hr.Position
	emps      map[string]hr.Employee
	customers map[string][]customers.Customer // by owner key
}

func (s *seeder) run(ctx context.Context) (Logins, error) {
	t, err := s.cfg.HR.CreateTenant(ctx, hr.TenantParams{
		ID: TenantID, Name: TenantName, TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
	})
	if errors.Is(err, ballast.ErrConflict) {
		return nil, ErrSeeded
	}
	if err != nil {
		return nil, fmt.Errorf("demo: create tenant: %w", err)
	}
	if s.loc, err = t.Location(); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s.now = s.now.In(s.loc)
	if err := s.cfg.Access.SeedTenant(ctx, t.ID); err != nil {
		return nil, fmt.Errorf("demo: seed roles: %w", err)
	}
	if err := s.org(ctx); err != nil {
		return nil, err
	}
	if err := s.employees(ctx); err != nil {
		return nil, err
	}
	if err := s.heads(ctx); err != nil {
		return nil, err
	}
	if err := s.profiles(ctx); err != nil {
		return nil, err
	}
	if s.cfg.Customers != nil {
		if err := s.seedCustomers(ctx); err != nil {
			return nil, err
		}
		if err := s.firstSnapshot(ctx); err != nil {
			return nil, err
		}
		if !s.offboards() {
			if err := s.alterCustomer(ctx); err != nil {
				return nil, err
			}
		}
	}
	if s.cfg.Assets != nil {
		if err := s.seedAssets(ctx); err != nil {
			return nil, err
		}
	}
	if s.cfg.Channel != nil {
		if err := s.seedChannel(ctx); err != nil {
			return nil, err
		}
	}
	var asm *assessor
	if s.cfg.Assessment != nil {
		if asm, err = s.seedAssessment(ctx); err != nil {
			return nil, err
		}
	}
	if s.offboards() {
		if err := s.seedOffboarding(ctx); err != nil {
			return nil, err
		}
	}
	if asm != nil {
		if err := asm.seedYearEnd(ctx); err != nil {
			return nil, err
		}
	}
	return s.users(ctx)
}

// org creates the departments (without heads: they are hired later) and
// the positions.
func (s *seeder) org(ctx context.Context) error {
	s.depts = make(map[string]hr.Department)
	for _, d := range departmentList() {
		created, err := s.cfg.HR.CreateDepartment(ctx, hr.DepartmentParams{Name: d.name, ParentID: s.depts[d.parent].ID})
		if err != nil {
			return fmt.Errorf("demo: create department %s: %w", d.name, err)
		}
		s.depts[d.key] = created
	}
	s.positions = make(map[string]hr.Position)
	for _, p := range positionList() {
		created, err := s.cfg.HR.CreatePosition(ctx, hr.PositionParams{
			Title: p.title, DepartmentID: s.depts[p.dept].ID, Level: p.level, Grade: p.grade, Critical: p.critical,
		})
		if err != nil {
			return fmt.Errorf("demo: create position %s: %w", p.title, err)
		}
		s.positions[p.key] = created
	}
	return nil
}

// hireDate is the day years and months before now.
func (s *seeder) hireDate(years, months int) hr.Date {
	d := s.now.AddDate(-years, -months, 0)
	// Start on the first Monday of that week, like real contracts do.
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, -1)
	}
	return hr.DateOf(d)
}

// employees hires the roster; without offboarding, the resigning employee
// gets a last working day three weeks ahead.
func (s *seeder) employees(ctx context.Context) error {
	s.emps = make(map[string]hr.Employee)
	for i, p := range peopleList() {
		params := hr.EmployeeParams{
			Number:       fmt.Sprintf("DS%04d", 1001+i),
			Name:         p.name,
			Email:        p.key + "@dingsheng.example",
			Phone:        fmt.Sprintf("139%08d", 16000000+i*7919),
			DepartmentID: s.depts[p.dept].ID,
			PositionID:   s.positions[p.pos].ID,
			ManagerID:    s.emps[p.manager].ID,
			HireDate:     s.hireDate(p.years, p.months),
			HireChannel:  p.channel,
			ReferrerID:   s.emps[p.referrer].ID,
			Status:       hr.StatusActive,
			KeyPerson:    p.keyPerson,
		}
		if p.key == resigning && !s.offboards() { // else Resign sets it
			params.Status = hr.StatusResigning
			params.LastWorkingDay = hr.DateOf(s.now.AddDate(0, 0, resigningInDays))
		}
		e, err := s.cfg.HR.HireEmployee(ctx, params)
		if err != nil {
			return fmt.Errorf("demo: hire %s: %w", p.name, err)
		}
		s.emps[p.key] = e
	}
	return nil
}

// heads names the head of every department.
func (s *seeder) heads(ctx context.Context) error {
	for _, d := range departmentList() {
		cur := s.depts[d.key]
		updated, err := s.cfg.HR.UpdateDepartment(ctx, cur.ID, hr.DepartmentParams{
			Name: cur.Name, ParentID: cur.ParentID, HeadID: s.emps[d.head].ID,
		}, cur.Version)
		if err != nil {
			return fmt.Errorf("demo: head of %s: %w", d.name, err)
		}
		s.depts[d.key] = updated
	}
	return nil
}

// users creates the demo logins and grants their roles.
func (s *seeder) users(ctx context.Context) (Logins, error) {
	var out Logins
	for _, u := range demoUsers() {
		e := s.emps[u.person]
		if err := s.cfg.Auth.CreateUser(ctx, TenantID, u.login, Password, e.ID); err != nil {
			return nil, fmt.Errorf("demo: create user %s: %w", u.login, err)
		}
		if err := s.cfg.Access.GrantRole(ctx, e.ID, u.role, "demo company"); err != nil {
			return nil, fmt.Errorf("demo: grant %s to %s: %w", u.role, u.login, err)
		}
		out = append(out, Login{Login: u.login, Password: Password, Name: e.Name, Role: u.role, EmployeeID: e.ID})
	}
	return out, nil
}

// rng returns the seeded random source for one employee, so each person's
// history is the same on every run whatever the order of work.
func rng(key string) *rand.Rand {
	var h uint64 = 1469598103934665603
	for _, c := range []byte(key) {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return rand.New(rand.NewPCG(h, 0x62616c6c617374)) // "ballast"
}
