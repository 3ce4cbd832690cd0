package succession

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// RatePotential records an employee's potential (low, medium or high)
// with a note, replacing the previous rating: HR, or a department head
// (PermWriteDepartment) for employees of the departments they head.
// version is the current rating's Version (0 when never rated). Refused:
// an unknown rating, a departed employee (ErrDeparted).
func (s *Service) RatePotential(ctx context.Context, employeeID string, rating Potential, note string, version int64) (PotentialRating, error) {
	p, scope, err := s.begin(ctx, true)
	if err != nil {
		return PotentialRating{}, fmt.Errorf("succession: rate potential: %w", err)
	}
	var v ballast.ValidationError
	var ve *ballast.ValidationError
	if errors.As(ballast.CheckID("employee_id", employeeID), &ve) {
		v.Fields = append(v.Fields, ve.Fields...)
	}
	if rating.level() < 0 {
		v.Add("rating", "must be low, medium or high")
	}
	if utf8.RuneCountInString(note) > MaxPotentialNote {
		v.Add("note", fmt.Sprintf("at most %d characters", MaxPotentialNote))
	}
	if err := v.Err(); err != nil {
		return PotentialRating{}, fmt.Errorf("succession: rate potential: %w", err)
	}
	var out PotentialRating
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		emp, err := s.hr.Employee(as(ctx, p), employeeID)
		if err != nil {
			return fmt.Errorf("employee %s: %w", employeeID, err)
		}
		if !inScope(scope, emp.DepartmentID) {
			return forbidden("employee %s is outside the departments %s heads", emp.ID, p.Subject)
		}
		if emp.Status == hr.StatusDeparted {
			return fmt.Errorf("employee %s: %w", emp.ID, ErrDeparted)
		}
		before, err := s.store.Potential(ctx, p.Tenant, emp.ID)
		if err != nil && !errors.Is(err, ballast.ErrNotFound) {
			return err
		}
		if before.Version != version {
			return staleVersion("potential of "+emp.ID, version, before.Version)
		}
		out = PotentialRating{EmployeeID: emp.ID, Rating: rating, Note: note, RatedBy: p.Subject, RatedAt: s.now(), Version: version + 1}
		if err := s.store.SavePotential(ctx, p.Tenant, out, version); err != nil {
			return err
		}
		var b any
		if before.Version > 0 {
			b = before
		}
		return s.record(ctx, ActionRatePotential, TargetPotential, emp.ID, note, b, out)
	})
	if err != nil {
		return PotentialRating{}, fmt.Errorf("succession: rate potential: %w", err)
	}
	return out, nil
}

// Potential returns an employee's potential rating (ErrNotFound when
// never rated), for HR or the head of their department.
func (s *Service) Potential(ctx context.Context, employeeID string) (PotentialRating, error) {
	p, scope, err := s.begin(ctx, false)
	if err != nil {
		return PotentialRating{}, fmt.Errorf("succession: potential: %w", err)
	}
	if err := ballast.CheckID("employee_id", employeeID); err != nil {
		return PotentialRating{}, fmt.Errorf("succession: potential: %w", err)
	}
	emp, err := s.hr.Employee(as(ctx, p), employeeID)
	if err != nil {
		return PotentialRating{}, fmt.Errorf("succession: potential: %w", err)
	}
	if !inScope(scope, emp.DepartmentID) {
		return PotentialRating{}, fmt.Errorf("succession: potential: %w", forbidden("employee %s is outside the departments %s heads", emp.ID, p.Subject))
	}
	r, err := s.store.Potential(ctx, p.Tenant, emp.ID)
	if err != nil {
		return PotentialRating{}, fmt.Errorf("succession: potential: %w", err)
	}
	return r, nil
}

// Level is a position on either axis of the 9-box.
type Level int

// The levels of an axis.
const (
	Low Level = iota
	Mid
	High
)

// String returns "low", "mid" or "high".
func (l Level) String() string {
	switch l {
	case Low:
		return "low"
	case Mid:
		return "mid"
	case High:
		return "high"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// BoxOptions tunes the performance axis of the 9-box. The zero value is
// the default: the latest period's score, low below 70, mid below 85,
// high from 85.
type BoxOptions struct {
	// Periods averages the scores of the last Periods periods (by period
	// end); 0 or 1 takes the latest. At most 20.
	Periods int
	// MidFrom is the lowest mid score (default 70); HighFrom the lowest
	// high score (default 85). 0 < MidFrom < HighFrom <= 100.
	MidFrom, HighFrom float64
}

// Grid is a department's 9-box.
type Grid struct {
	DepartmentID string     `json:"department_id"`
	Options      BoxOptions `json:"options"`
	// Cells[performance][potential] lists the employees of each box,
	// ordered by name.
	Cells [3][3][]BoxEntry `json:"cells"`
	// Unplaced lists employees lacking a performance score or a potential
	// rating, ordered by name.
	Unplaced []BoxEntry `json:"unplaced"`
	// GeneratedAt is when the grid was computed.
	GeneratedAt time.Time `json:"generated_at"`
}

// Place returns the performance level of a score under o (defaults
// applied).
func (o BoxOptions) Place(score float64) Level {
	switch {
	case score < o.MidFrom:
		return Low
	case score < o.HighFrom:
		return Mid
	}
	return High
}

// withDefaults fills the zero fields of o.
func (o BoxOptions) withDefaults() BoxOptions {
	if o.Periods == 0 {
		o.Periods = 1
	}
	if o.MidFrom == 0 {
		o.MidFrom = 70
	}
	if o.HighFrom == 0 {
		o.HighFrom = 85
	}
	return o
}

// NineBox returns the 9-box of a department and the departments under
// it: employees who have not departed, placed by performance (from hr's
// performance history, see BoxOptions) and rated potential. HR, or the
// head of the department (PermReadDepartment).
func (s *Service) NineBox(ctx context.Context, departmentID string, o BoxOptions) (Grid, error) {
	p, scope, err := s.begin(ctx, false)
	if err != nil {
		return Grid{}, fmt.Errorf("succession: 9-box: %w", err)
	}
	o = o.withDefaults()
	var v ballast.ValidationError
	var ve *ballast.ValidationError
	if errors.As(ballast.CheckID("department_id", departmentID), &ve) {
		v.Fields = append(v.Fields, ve.Fields...)
	}
	if o.Periods < 1 || o.Periods > 20 {
		v.Add("periods", "must be 0–20")
	}
	if !(o.MidFrom > 0 && o.MidFrom < o.HighFrom && o.HighFrom <= 100) {
		v.Add("thresholds", "need 0 < mid_from < high_from <= 100")
	}
	if err := v.Err(); err != nil {
		return Grid{}, fmt.Errorf("succession: 9-box: %w", err)
	}
	if !inScope(scope, departmentID) {
		return Grid{}, fmt.Errorf("succession: 9-box: %w", forbidden("department %s is outside the departments %s heads", departmentID, p.Subject))
	}
	depts, err := s.subtree(ctx, p, []string{departmentID}, "")
	if err != nil {
		return Grid{}, fmt.Errorf("succession: 9-box: %w", err)
	}
	rows, err := s.store.NineBox(ctx, p.Tenant, depts, o.Periods)
	if err != nil {
		return Grid{}, fmt.Errorf("succession: 9-box: %w", err)
	}
	g := Grid{DepartmentID: departmentID, Options: o, GeneratedAt: s.now()}
	for _, r := range rows {
		pl := r.Potential.level()
		if r.Performance == nil || pl < 0 {
			g.Unplaced = append(g.Unplaced, r)
			continue
		}
		pf := o.Place(*r.Performance)
		g.Cells[pf][pl] = append(g.Cells[pf][pl], r)
	}
	return g, nil
}
