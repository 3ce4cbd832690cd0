package training

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
)

// SetRequiredSkills replaces the skills a position (of hr) requires, each
// with the level it needs. It needs PermManage; an empty list clears them.
// Bad skills are a *ballast.ValidationError naming each; an unknown
// position ballast.ErrNotFound.
func (s *Service) SetRequiredSkills(ctx context.Context, positionID string, skills []SkillLevel) ([]SkillLevel, error) {
	var out []SkillLevel
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		skills = checkSkills(&v, "skills", skills)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := s.hr.Position(as(ctx, pr), positionID); err != nil {
			return err
		}
		sortSkills(skills)
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			before, err := s.store.RequiredSkills(ctx, pr.Tenant, positionID)
			if err != nil {
				return err
			}
			if err := s.store.PutRequiredSkills(ctx, pr.Tenant, positionID, skills, s.now()); err != nil {
				return err
			}
			out = skills
			return s.record(ctx, ActionRequiredSkills, TargetPosition, positionID, "", before, skills)
		})
	}()
	if err != nil {
		return nil, fmt.Errorf("training: set required skills of position %s: %w", positionID, err)
	}
	return out, nil
}

// sortSkills orders skills by name, without regard to case.
func sortSkills(ls []SkillLevel) {
	slices.SortFunc(ls, func(a, b SkillLevel) int { return strings.Compare(skillKey(a.Name), skillKey(b.Name)) })
}

// RequiredSkills returns the skills a position requires, ordered by name.
// It needs PermRead, PermReadDepartment or PermManage.
func (s *Service) RequiredSkills(ctx context.Context, positionID string) ([]SkillLevel, error) {
	out, err := func() ([]SkillLevel, error) {
		pr, err := s.reader(ctx)
		if err != nil {
			return nil, err
		}
		if _, err := s.hr.Position(as(ctx, pr), positionID); err != nil {
			return nil, err
		}
		return s.store.RequiredSkills(ctx, pr.Tenant, positionID)
	}()
	if err != nil {
		return nil, fmt.Errorf("training: required skills of position %s: %w", positionID, err)
	}
	return out, nil
}

// Gap is one required skill an employee lacks or holds below the level.
type Gap struct {
	Name     string `json:"name"`
	Required int    `json:"required"`
	// Current is the employee's level (0: not held).
	Current int `json:"current"`
	// Courses build the skill past Current, the ones reaching Required
	// first, then by code.
	Courses []Course `json:"courses"`
}

// GapReport is an employee's skill gaps against a target position.
type GapReport struct {
	EmployeeID string `json:"employee_id"`
	PositionID string `json:"position_id"`
	// Met are the required skills the employee holds at the level.
	Met []SkillLevel `json:"met"`
	// Gaps are the others, ordered by name.
	Gaps []Gap `json:"gaps"`
}

// SkillGaps sets the skills a target position requires against an
// employee's hr profile skills, and suggests the courses that build each
// missing skill. The employee, their department head and HR may read it.
func (s *Service) SkillGaps(ctx context.Context, employeeID, positionID string) (GapReport, error) {
	rep, err := func() (GapReport, error) {
		pr, err := s.principal(ctx, "")
		if err != nil {
			return GapReport{}, err
		}
		if _, err := s.employee(ctx, pr, employeeID, false); err != nil {
			return GapReport{}, err
		}
		if _, err := s.hr.Position(as(ctx, pr), positionID); err != nil {
			return GapReport{}, err
		}
		prof, err := s.hr.Profile(as(ctx, pr), employeeID)
		if err != nil {
			return GapReport{}, err
		}
		req, err := s.store.RequiredSkills(ctx, pr.Tenant, positionID)
		if err != nil {
			return GapReport{}, err
		}
		rep := GapReport{EmployeeID: employeeID, PositionID: positionID, Met: []SkillLevel{}, Gaps: []Gap{}}
		var missing []string
		for _, r := range req {
			cur := heldLevel(prof.Skills, r.Name)
			if cur >= r.Level {
				rep.Met = append(rep.Met, SkillLevel{Name: r.Name, Level: cur})
				continue
			}
			rep.Gaps = append(rep.Gaps, Gap{Name: r.Name, Required: r.Level, Current: cur, Courses: []Course{}})
			missing = append(missing, skillKey(r.Name))
		}
		if len(missing) == 0 {
			return rep, nil
		}
		cs, err := s.store.CoursesBuilding(ctx, pr.Tenant, missing)
		if err != nil {
			return GapReport{}, err
		}
		for i := range rep.Gaps {
			g := &rep.Gaps[i]
			var reach, partial []Course
			for _, c := range cs {
				lvl, ok := levelIn(c.Skills, g.Name)
				switch {
				case !ok || lvl <= g.Current:
				case lvl >= g.Required:
					reach = append(reach, c)
				default:
					partial = append(partial, c)
				}
			}
			g.Courses = append(append(g.Courses, reach...), partial...)
		}
		return rep, nil
	}()
	if err != nil {
		return GapReport{}, fmt.Errorf("training: skill gaps of %s for position %s: %w", employeeID, positionID, err)
	}
	return rep, nil
}
