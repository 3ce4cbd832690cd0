package hr

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// Profile returns an employee's profile: one's own (Principal.Subject equal
// to employeeID) with PermProfileReadSelf, anyone's with PermProfileReadAll.
// A profile never written comes back empty at Version 0.
func (s *Service) Profile(ctx context.Context, employeeID string) (Profile, error) {
	fail := func(err error) (Profile, error) {
		return Profile{}, fmt.Errorf("hr: profile of %s: %w", employeeID, err)
	}
	pr, _, err := s.begin(ctx, "")
	if err != nil {
		return fail(err)
	}
	perm := PermProfileReadAll
	if pr.Subject == employeeID {
		perm = PermProfileReadSelf
		if all, err := s.auth.Allowed(ctx, PermProfileReadAll); err != nil || all {
			perm = PermProfileReadAll
		}
	}
	if err := s.auth.Authorize(ctx, perm); err != nil {
		return fail(err)
	}
	if err := ballast.CheckID("employee_id", employeeID); err != nil {
		return fail(err)
	}
	if _, err := s.store.Employee(ctx, pr.Tenant, employeeID); err != nil {
		return fail(err)
	}
	p, err := s.loadProfile(ctx, pr.Tenant, employeeID)
	if err != nil {
		return fail(err)
	}
	return p, nil
}

func (s *Service) loadProfile(ctx context.Context, tenant, employeeID string) (Profile, error) {
	p, err := s.store.Profile(ctx, tenant, employeeID)
	if errors.Is(err, ballast.ErrNotFound) {
		return Profile{EmployeeID: employeeID, Performance: []PerformanceRecord{}, Projects: []Project{},
			Certifications: []Certification{}, Skills: []Skill{}, Management: []ManagementExperience{}}, nil
	}
	return p, err
}

// UpdateProfile changes sections of a profile, and the contact phone on the
// employee record, in one transaction with one audit entry.
//
// HR (PermProfileWriteHR) may change every section. The employee themself
// (Principal.Subject equal to employeeID) with PermProfileWriteSelf may
// change only the self-service fields: Phone, Skills, CareerPlan, and the
// self-reported Certifications (the others must come back unchanged).
// Anything else gives ballast.ErrForbidden. u.Version must be the version
// read (stale: ErrConflict).
func (s *Service) UpdateProfile(ctx context.Context, employeeID string, u ProfileUpdate) (Profile, error) {
	var out Profile
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, "")
		if err != nil {
			return err
		}
		asHR, err := s.auth.Allowed(ctx, PermProfileWriteHR)
		if err != nil {
			return err
		}
		if !asHR {
			if pr.Subject != employeeID {
				return fmt.Errorf("%s is required to edit another employee's profile: %w", PermProfileWriteHR, ballast.ErrForbidden)
			}
			if err := s.auth.Authorize(ctx, PermProfileWriteSelf); err != nil {
				return err
			}
		}
		if err := ballast.CheckID("employee_id", employeeID); err != nil {
			return err
		}
		emp, err := s.store.Employee(ctx, pr.Tenant, employeeID)
		if err != nil {
			return err
		}
		before, err := s.loadProfile(ctx, pr.Tenant, employeeID)
		if err != nil {
			return err
		}
		if !asHR {
			if err := selfServiceOnly(before, u); err != nil {
				return err
			}
		}
		if err := s.checkProfile(ctx, pr.Tenant, u); err != nil {
			return err
		}
		if before.Version != u.Version {
			return staleVersion(u.Version, before.Version)
		}
		out = s.apply(before, u)
		if err := s.store.PutProfile(ctx, pr.Tenant, out, before.Version); err != nil {
			return err
		}
		changes := audit.Diff(before, out)
		if u.Phone != nil && strings.TrimSpace(*u.Phone) != emp.Phone {
			e := emp
			e.Phone, e.UpdatedAt, e.Version = strings.TrimSpace(*u.Phone), out.UpdatedAt, emp.Version+1
			if err := s.store.UpdateEmployee(ctx, pr.Tenant, e, emp.Version); err != nil {
				return err
			}
			changes = append(changes, audit.Change{Path: "Phone", Before: emp.Phone, After: e.Phone})
		}
		_, err = s.audit.Append(ctx, audit.Record{Action: "hr.profile.update", TargetType: "employee",
			TargetID: employeeID, Changes: changes})
		return err
	})
	if err != nil {
		return Profile{}, fmt.Errorf("hr: update profile of %s: %w", employeeID, err)
	}
	return out, nil
}

// selfServiceOnly refuses an employee's change to an HR-only section.
func selfServiceOnly(before Profile, u ProfileUpdate) error {
	var hrOnly []string
	if u.Performance != nil {
		hrOnly = append(hrOnly, "performance")
	}
	if u.Projects != nil {
		hrOnly = append(hrOnly, "projects")
	}
	if u.Management != nil {
		hrOnly = append(hrOnly, "management")
	}
	if u.Certifications != nil && !slices.Equal(hrCertifications(before.Certifications), hrCertifications(*u.Certifications)) {
		hrOnly = append(hrOnly, "certifications not self-reported")
	}
	if len(hrOnly) > 0 {
		return fmt.Errorf("only hr may change %s: %w", strings.Join(hrOnly, ", "), ballast.ErrForbidden)
	}
	return nil
}

func hrCertifications(cs []Certification) []Certification {
	var out []Certification
	for _, c := range cs {
		if !c.SelfReported {
			out = append(out, c)
		}
	}
	return out
}

// checkProfile validates every section u changes.
func (s *Service) checkProfile(ctx context.Context, tenant string, u ProfileUpdate) error {
	var v ballast.ValidationError
	if u.Phone != nil {
		phone(&v, "phone", strings.TrimSpace(*u.Phone))
	}
	if u.Skills != nil {
		seen := map[string]bool{}
		for i, sk := range *u.Skills {
			f := fmt.Sprintf("skills[%d]", i)
			text(&v, f+".name", sk.Name, true, maxName)
			if sk.Level < 1 || sk.Level > 5 {
				v.Add(f+".level", "must be between 1 and 5")
			}
			if seen[sk.Name] {
				v.Add(f+".name", "is listed twice")
			}
			seen[sk.Name] = true
		}
	}
	if u.Performance != nil {
		withPeriodEnds(&v, "performance", *u.Performance)
	}
	if u.Projects != nil {
		for i, p := range *u.Projects {
			f := fmt.Sprintf("projects[%d]", i)
			text(&v, f+".name", p.Name, true, maxName)
			text(&v, f+".role", p.Role, false, maxName)
			date(&v, f+".start", p.Start, true)
			date(&v, f+".end", p.End, false)
			period(&v, f+".end", p.Start, p.End)
		}
	}
	if u.Certifications != nil {
		for i, c := range *u.Certifications {
			f := fmt.Sprintf("certifications[%d]", i)
			text(&v, f+".name", c.Name, true, maxName)
			text(&v, f+".issuer", c.Issuer, false, maxName)
			date(&v, f+".issued", c.Issued, false)
			date(&v, f+".expires", c.Expires, false)
			period(&v, f+".expires", c.Issued, c.Expires)
		}
	}
	if u.Management != nil {
		for i, m := range *u.Management {
			f := fmt.Sprintf("management[%d]", i)
			if m.TeamSize < 1 {
				v.Add(f+".team_size", "must be at least 1")
			}
			date(&v, f+".start", m.Start, true)
			date(&v, f+".end", m.End, false)
			period(&v, f+".end", m.Start, m.End)
			text(&v, f+".description", m.Description, false, maxNotes)
		}
	}
	if c := u.CareerPlan; c != nil {
		if !validDirection(c.Direction) {
			v.Add("career_plan.direction", fmt.Sprintf("must be one of %s", strings.Join(directions, ", ")))
		}
		text(&v, "career_plan.notes", c.Notes, false, maxNotes)
		if ref(&v, "career_plan.target_position_id", c.TargetPositionID) {
			_, err := s.store.Position(ctx, tenant, c.TargetPositionID)
			if err := missing(&v, "career_plan.target_position_id", err); err != nil {
				return err
			}
		}
	}
	return v.Err()
}

// apply returns before with u's sections in place and a new version.
func (s *Service) apply(before Profile, u ProfileUpdate) Profile {
	out := before
	now := s.now()
	if u.Skills != nil {
		out.Skills = slices.Clone(*u.Skills)
	}
	if u.Performance != nil {
		// Validated by checkProfile; this fills period ends and sorts.
		out.Performance = withPeriodEnds(new(ballast.ValidationError), "performance", *u.Performance)
	}
	if u.Projects != nil {
		out.Projects = slices.Clone(*u.Projects)
	}
	if u.Certifications != nil {
		out.Certifications = slices.Clone(*u.Certifications)
	}
	if u.Management != nil {
		out.Management = slices.Clone(*u.Management)
	}
	if u.CareerPlan != nil {
		plan := *u.CareerPlan
		plan.UpdatedAt = now
		out.CareerPlan = &plan
	}
	out.UpdatedAt, out.Version = now, before.Version+1
	return out
}
