package hr

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
)

func (p EmployeeParams) normalised() EmployeeParams {
	p.Number = strings.TrimSpace(p.Number)
	p.Name = strings.TrimSpace(p.Name)
	p.Email = strings.TrimSpace(p.Email)
	p.Phone = strings.TrimSpace(p.Phone)
	return p
}

// employeeFields checks what can be checked without the database. It
// reports, per reference field, whether the ID is worth looking up.
func employeeFields(v *ballast.ValidationError, p EmployeeParams) (lookup map[string]bool) {
	text(v, "number", p.Number, true, maxNumber)
	text(v, "name", p.Name, true, maxName)
	email(v, "email", p.Email)
	phone(v, "phone", p.Phone)
	lookup = map[string]bool{
		"department_id": requiredRef(v, "department_id", p.DepartmentID),
		"position_id":   ref(v, "position_id", p.PositionID),
		"manager_id":    ref(v, "manager_id", p.ManagerID),
		"referrer_id":   ref(v, "referrer_id", p.ReferrerID),
	}
	date(v, "hire_date", p.HireDate, true)
	switch {
	case p.HireChannel == "":
		v.Add("hire_channel", "is required")
	case !validChannel(p.HireChannel):
		v.Add("hire_channel", "is not a known hire channel")
	case p.HireChannel == ChannelReferral && p.ReferrerID == "":
		v.Add("referrer_id", "is required for a referral")
	case p.HireChannel != ChannelReferral && p.ReferrerID != "":
		v.Add("referrer_id", "is only for the referral channel")
	}
	date(v, "last_working_day", p.LastWorkingDay, false)
	switch {
	case !validStatus(p.Status):
		v.Add("status", "is not a known status")
	case p.Status == StatusActive && !p.LastWorkingDay.IsZero():
		v.Add("last_working_day", "is only for resigning or departed employees")
	case p.Status != StatusActive && p.LastWorkingDay.IsZero():
		v.Add("last_working_day", "is required for resigning or departed employees")
	}
	if !p.LastWorkingDay.IsZero() && !p.HireDate.IsZero() && p.LastWorkingDay.Before(p.HireDate) {
		v.Add("last_working_day", "is before the hire date")
	}
	return lookup
}

// checkEmployee validates p for employee id (a fresh ID when hiring, with
// hiring true) and looks up its references in the transaction of ctx.
func (s *Service) checkEmployee(ctx context.Context, tenant, id string, hiring bool, p EmployeeParams) error {
	var v ballast.ValidationError
	lookup := employeeFields(&v, p)
	if lookup["department_id"] {
		_, err := s.store.Department(ctx, tenant, p.DepartmentID)
		if err := missing(&v, "department_id", err); err != nil {
			return err
		}
	}
	if lookup["position_id"] {
		_, err := s.store.Position(ctx, tenant, p.PositionID)
		if err := missing(&v, "position_id", err); err != nil {
			return err
		}
	}
	isCycle := false
	if lookup["manager_id"] {
		chain, err := s.store.ManagerChain(ctx, tenant, p.ManagerID)
		switch {
		case err != nil:
			if err := missing(&v, "manager_id", err); err != nil {
				return err
			}
		case slices.Contains(chain, id):
			v.Add("manager_id", "is the employee or one of their reports")
			isCycle = true
		}
	}
	if lookup["referrer_id"] {
		if p.ReferrerID == id {
			v.Add("referrer_id", "is the employee")
		} else {
			_, err := s.store.Employee(ctx, tenant, p.ReferrerID)
			if err := missing(&v, "referrer_id", err); err != nil {
				return err
			}
		}
	}
	if isCycle {
		return cycle("employee", &v)
	}
	if err := v.Err(); err != nil {
		return err
	}
	same, err := s.store.EmployeesByNumber(ctx, tenant, []string{p.Number})
	if err != nil {
		return err
	}
	for _, e := range same {
		if hiring || e.ID != id {
			return fmt.Errorf("employee number %q is taken: %w", p.Number, ballast.ErrConflict)
		}
	}
	return nil
}

// HireEmployee records a new employee (PermEmployeesWrite). Status defaults
// to StatusActive. See EmployeeParams for the rules; a taken number gives
// ErrConflict.
func (s *Service) HireEmployee(ctx context.Context, p EmployeeParams) (Employee, error) {
	p = p.normalised()
	if p.Status == "" {
		p.Status = StatusActive
	}
	var out Employee
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermEmployeesWrite)
		if err != nil {
			return err
		}
		id := ballast.NewID()
		if err := s.checkEmployee(ctx, pr.Tenant, id, true, p); err != nil {
			return err
		}
		now := s.now()
		out = employeeFrom(id, p)
		out.CreatedAt, out.UpdatedAt, out.Version = now, now, 1
		if err := s.store.InsertEmployees(ctx, pr.Tenant, []Employee{out}); err != nil {
			return err
		}
		return s.record(ctx, "hr.employee.hire", "employee", id, nil, out)
	})
	if err != nil {
		return Employee{}, fmt.Errorf("hr: hire employee: %w", err)
	}
	return out, nil
}

func employeeFrom(id string, p EmployeeParams) Employee {
	return Employee{ID: id, Number: p.Number, Name: p.Name, Email: p.Email, Phone: p.Phone,
		DepartmentID: p.DepartmentID, PositionID: p.PositionID, ManagerID: p.ManagerID,
		HireDate: p.HireDate, HireChannel: p.HireChannel, ReferrerID: p.ReferrerID,
		Status: p.Status, LastWorkingDay: p.LastWorkingDay, KeyPerson: p.KeyPerson}
}

// UpdateEmployee replaces an employee's record (PermEmployeesWrite);
// version is the version read (stale: ErrConflict). A manager line that
// would loop gives ErrCycle.
func (s *Service) UpdateEmployee(ctx context.Context, id string, p EmployeeParams, version int64) (Employee, error) {
	p = p.normalised()
	var out Employee
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermEmployeesWrite)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.store.Employee(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion(version, before.Version)
		}
		if err := s.checkEmployee(ctx, pr.Tenant, id, false, p); err != nil {
			return err
		}
		out = employeeFrom(id, p)
		out.CreatedAt, out.UpdatedAt, out.Version = before.CreatedAt, s.now(), before.Version+1
		if err := s.store.UpdateEmployee(ctx, pr.Tenant, out, version); err != nil {
			return err
		}
		return s.record(ctx, "hr.employee.update", "employee", id, before, out)
	})
	if err != nil {
		return Employee{}, fmt.Errorf("hr: update employee %s: %w", id, err)
	}
	return out, nil
}

// Employee returns one employee (PermEmployeesRead).
func (s *Service) Employee(ctx context.Context, id string) (Employee, error) {
	pr, _, err := s.begin(ctx, PermEmployeesRead)
	if err == nil {
		err = ballast.CheckID("id", id)
	}
	if err != nil {
		return Employee{}, fmt.Errorf("hr: employee %s: %w", id, err)
	}
	e, err := s.store.Employee(ctx, pr.Tenant, id)
	if err != nil {
		return Employee{}, fmt.Errorf("hr: employee %s: %w", id, err)
	}
	return e, nil
}

// EmployeeByNumber returns the employee with the given number
// (PermEmployeesRead); ErrNotFound when there is none.
func (s *Service) EmployeeByNumber(ctx context.Context, number string) (Employee, error) {
	pr, _, err := s.begin(ctx, PermEmployeesRead)
	if err != nil {
		return Employee{}, fmt.Errorf("hr: employee number %q: %w", number, err)
	}
	number = strings.TrimSpace(number)
	if number == "" {
		return Employee{}, fmt.Errorf("hr: employee by number: %w", ballast.Invalid("number", "is required"))
	}
	es, err := s.store.EmployeesByNumber(ctx, pr.Tenant, []string{number})
	if err != nil {
		return Employee{}, fmt.Errorf("hr: employee number %q: %w", number, err)
	}
	if len(es) == 0 {
		return Employee{}, fmt.Errorf("hr: employee number %q: %w", number, ballast.ErrNotFound)
	}
	return es[0], nil
}

// Referrals lists the employees referred by employeeID, ordered by name
// (PermEmployeesReadAll): the raw material of the referral and dependency
// clusters. An unknown employee gives ErrNotFound.
func (s *Service) Referrals(ctx context.Context, employeeID string) ([]Employee, error) {
	pr, _, err := s.begin(ctx, PermEmployeesReadAll)
	if err == nil {
		err = ballast.CheckID("employee_id", employeeID)
	}
	if err == nil {
		_, err = s.store.Employee(ctx, pr.Tenant, employeeID)
	}
	if err != nil {
		return nil, fmt.Errorf("hr: referrals of %s: %w", employeeID, err)
	}
	es, err := s.store.Referrals(ctx, pr.Tenant, employeeID)
	if err != nil {
		return nil, fmt.Errorf("hr: referrals of %s: %w", employeeID, err)
	}
	return es, nil
}
