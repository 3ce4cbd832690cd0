package training

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// Limits on what the Service accepts.
const (
	MaxCodeLen      = 32
	MaxTitleLen     = 200
	MaxSkillNameLen = 100
	MaxSkills       = 20
	MaxHours        = 1000
	MaxCapacity     = 10000
	MaxLinkLen      = 2000
	MaxReasonLen    = 2000
	MaxListLimit    = 500
)

// text checks a required (or optional) text field's length.
func text(v *ballast.ValidationError, field, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// percent checks a 0–100 value.
func percent(v *ballast.ValidationError, field string, x float64) {
	if math.IsNaN(x) || x < 0 || x > 100 {
		v.Add(field, "must be between 0 and 100")
	}
}

// skillKey is how skill names compare: trimmed, without regard to case.
func skillKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// checkSkills validates a skill list and returns it trimmed.
func checkSkills(v *ballast.ValidationError, field string, in []SkillLevel) []SkillLevel {
	if len(in) > MaxSkills {
		v.Add(field, fmt.Sprintf("must list at most %d skills", MaxSkills))
	}
	out := make([]SkillLevel, 0, len(in))
	seen := map[string]bool{}
	for i, sk := range in {
		f := fmt.Sprintf("%s[%d]", field, i)
		name := strings.TrimSpace(sk.Name)
		text(v, f+".name", name, true, MaxSkillNameLen)
		if sk.Level < 1 || sk.Level > 5 {
			v.Add(f+".level", "must be 1 to 5")
		}
		if k := skillKey(name); k != "" {
			if seen[k] {
				v.Add(f+".name", "is listed twice")
			}
			seen[k] = true
		}
		out = append(out, SkillLevel{Name: name, Level: sk.Level})
	}
	return out
}

// checkCourse validates p and returns it normalised.
func checkCourse(p CourseParams) (CourseParams, error) {
	var v ballast.ValidationError
	p.Code, p.Title, p.IndicatorCode = strings.TrimSpace(p.Code), strings.TrimSpace(p.Title), strings.TrimSpace(p.IndicatorCode)
	text(&v, "code", p.Code, true, MaxCodeLen)
	if strings.ContainsAny(p.Code, " \t\n/") {
		v.Add("code", "must not contain spaces or slashes")
	}
	text(&v, "title", p.Title, true, MaxTitleLen)
	if p.Kind != Online && p.Kind != Classroom {
		v.Add("kind", `must be "online" or "classroom"`)
	}
	if math.IsNaN(p.Hours) || p.Hours <= 0 || p.Hours > MaxHours {
		v.Add("hours", fmt.Sprintf("must be more than 0 and at most %d", MaxHours))
	}
	p.Skills = checkSkills(&v, "skills", p.Skills)
	text(&v, "indicator_code", p.IndicatorCode, false, 100)
	percent(&v, "pass_mark", p.PassMark)
	return p, v.Err()
}

// CreateCourse adds a course to the catalogue. It needs PermManage. A
// duplicate code is ballast.ErrConflict; bad fields a
// *ballast.ValidationError naming each.
func (s *Service) CreateCourse(ctx context.Context, p CourseParams) (Course, error) {
	var c Course
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if p, err = checkCourse(p); err != nil {
			return err
		}
		now := s.now()
		c = Course{ID: ballast.NewID(), Code: p.Code, Title: p.Title, Kind: p.Kind, Hours: p.Hours, Skills: p.Skills,
			IndicatorCode: p.IndicatorCode, PassMark: p.PassMark, CreatedAt: now, UpdatedAt: now, Version: 1}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.store.InsertCourse(ctx, pr.Tenant, c); err != nil {
				return err
			}
			return s.record(ctx, ActionCourseCreate, TargetCourse, c.ID, "", nil, c)
		})
	}()
	if err != nil {
		return Course{}, fmt.Errorf("training: create course %q: %w", p.Code, err)
	}
	return c, nil
}

// UpdateCourse replaces a course's fields. It needs PermManage; version is
// the version the caller read (stale: ballast.ErrConflict). A new pass
// mark applies to scores recorded from now on.
func (s *Service) UpdateCourse(ctx context.Context, id string, p CourseParams, version int64) (Course, error) {
	var c Course
	err := func() error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if p, err = checkCourse(p); err != nil {
			return err
		}
		return s.tx.InTx(ctx, func(ctx context.Context) error {
			before, err := s.store.Course(ctx, pr.Tenant, id)
			if err != nil {
				return err
			}
			if before.Version != version {
				return staleVersion("course", version, before.Version)
			}
			c = before
			c.Code, c.Title, c.Kind, c.Hours, c.Skills = p.Code, p.Title, p.Kind, p.Hours, p.Skills
			c.IndicatorCode, c.PassMark = p.IndicatorCode, p.PassMark
			c.UpdatedAt, c.Version = s.now(), before.Version+1
			if err := s.store.UpdateCourse(ctx, pr.Tenant, c, version); err != nil {
				return err
			}
			return s.record(ctx, ActionCourseUpdate, TargetCourse, c.ID, "", before, c)
		})
	}()
	if err != nil {
		return Course{}, fmt.Errorf("training: update course %s: %w", id, err)
	}
	return c, nil
}

// Course returns one course. It needs PermRead or PermManage.
func (s *Service) Course(ctx context.Context, id string) (Course, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return Course{}, fmt.Errorf("training: course %s: %w", id, err)
	}
	c, err := s.store.Course(ctx, pr.Tenant, id)
	if err != nil {
		return Course{}, fmt.Errorf("training: course %s: %w", id, err)
	}
	return c, nil
}

// CourseFilter pages through the catalogue for Courses.
type CourseFilter struct {
	// After is the code the page starts after.
	After string `json:"after,omitempty"`
	// Limit is 1–MaxListLimit (0: MaxListLimit).
	Limit int `json:"limit,omitempty"`
}

// Courses returns the catalogue ordered by code. It needs PermRead or
// PermManage.
func (s *Service) Courses(ctx context.Context, f CourseFilter) ([]Course, error) {
	pr, err := s.reader(ctx)
	if err != nil {
		return nil, fmt.Errorf("training: courses: %w", err)
	}
	lim, err := limit(f.Limit)
	if err != nil {
		return nil, fmt.Errorf("training: courses: %w", err)
	}
	cs, err := s.store.ListCourses(ctx, pr.Tenant, CourseQuery{After: f.After, Limit: lim})
	if err != nil {
		return nil, fmt.Errorf("training: courses: %w", err)
	}
	return cs, nil
}

// reader checks that the principal may read the catalogue: PermRead,
// PermManage or a department head's PermReadDepartment.
func (s *Service) reader(ctx context.Context) (ballast.Principal, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return pr, err
	}
	for _, perm := range []string{PermRead, PermManage, PermReadDepartment} {
		ok, err := s.allowed(ctx, pr, perm)
		if err != nil {
			return pr, err
		}
		if ok {
			return pr, nil
		}
	}
	return pr, s.auth.Authorize(ctx, PermRead)
}

// limit checks a list limit.
func limit(n int) (int, error) {
	switch {
	case n == 0:
		return MaxListLimit, nil
	case n < 0 || n > MaxListLimit:
		return 0, ballast.Invalid("limit", fmt.Sprintf("must be 1 to %d", MaxListLimit))
	}
	return n, nil
}
