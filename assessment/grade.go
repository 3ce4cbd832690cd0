package assessment

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// Grade is one step of a grade scale: a final score of at least Min gets
// Name.
type Grade struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
}

// GradeScale is a tenant's grades, highest first; the last has Min 0 so
// every score gets a grade.
type GradeScale struct {
	Grades    []Grade   `json:"grades"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Version is 0 for the default scale, then increases with every
	// change (optimistic locking).
	Version int64 `json:"version"`
}

// DefaultGradeScale is the scale of a tenant that has not set its own:
// A ≥ 90, B+ ≥ 80, B ≥ 70, C ≥ 60, D below.
func DefaultGradeScale() GradeScale {
	return GradeScale{Grades: []Grade{{"A", 90}, {"B+", 80}, {"B", 70}, {"C", 60}, {"D", 0}}}
}

// GradeOf returns the grade of score: the first grade whose Min it reaches.
func (g GradeScale) GradeOf(score float64) string {
	for _, gr := range g.Grades {
		if score >= gr.Min {
			return gr.Name
		}
	}
	if len(g.Grades) > 0 {
		return g.Grades[len(g.Grades)-1].Name
	}
	return ""
}

// validateGrades checks a scale: names present and distinct, Min strictly
// decreasing within 0–100, the last at 0. It returns the grades ordered
// highest first.
func validateGrades(grades []Grade) ([]Grade, error) {
	var v ballast.ValidationError
	if len(grades) == 0 {
		v.Add("grades", "needs at least one grade")
	}
	out := slices.Clone(grades)
	seen := map[string]bool{}
	for i := range out {
		f := fmt.Sprintf("grades[%d]", i)
		out[i].Name = strings.TrimSpace(out[i].Name)
		text(&v, f+".name", out[i].Name, true, maxLabel)
		if seen[out[i].Name] {
			v.Add(f+".name", "is listed twice")
		}
		seen[out[i].Name] = true
		if m := out[i].Min; !finite(m) || m < 0 || m > 100 {
			v.Add(f+".min", "must be between 0 and 100")
		}
		if i > 0 && out[i].Min >= out[i-1].Min {
			v.Add(f+".min", "must be below the previous grade's min (highest grade first)")
		}
	}
	if len(out) > 0 && out[len(out)-1].Min != 0 {
		v.Add(fmt.Sprintf("grades[%d].min", len(out)-1), "must be 0 for the lowest grade, so every score has a grade")
	}
	return out, v.Err()
}
