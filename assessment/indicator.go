package assessment

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// IndicatorKind says how an indicator is measured.
type IndicatorKind string

// The indicator kinds.
const (
	// Quantitative indicators are measured by an actual value (revenue
	// growth, on-time rate) mapped to a score through a Mapping.
	Quantitative IndicatorKind = "quantitative"
	// Qualitative indicators are rated on a RatingScale, or come from a 360
	// dimension (Indicator.Dimension).
	Qualitative IndicatorKind = "qualitative"
)

// Direction says whether a higher or a lower actual is better.
type Direction string

// The directions of a quantitative indicator.
const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// MappingKind says how a quantitative actual becomes a 0–100 score.
type MappingKind string

// The mappings.
const (
	// MappingRatio scores actual/target×100 (target/actual×100 when lower
	// is better), capped at Mapping.Cap.
	MappingRatio MappingKind = "ratio"
	// MappingBands scores the first band the actual reaches: for
	// higher-is-better the band with the highest Threshold ≤ actual, for
	// lower-is-better the band with the lowest Threshold ≥ actual; an actual
	// that reaches no band scores 0.
	MappingBands MappingKind = "bands"
)

// Band is one threshold of a MappingBands mapping.
type Band struct {
	Threshold float64 `json:"threshold"`
	Score     float64 `json:"score"`
}

// Mapping turns a quantitative actual into a score 0–100.
type Mapping struct {
	Kind MappingKind `json:"kind"`
	// Cap is the highest score a ratio gives (0 means 100); at most 100.
	Cap float64 `json:"cap,omitempty"`
	// Bands are the thresholds of MappingBands, in any order.
	Bands []Band `json:"bands,omitempty"`
}

// Anchor describes one point of a rating scale ("4: exceeds expectations —
// closes orders without help").
type Anchor struct {
	Value       int    `json:"value"`
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
}

// RatingScale is the scale of a qualitative indicator, for example 1–5. A
// rating r maps linearly to the score (r−Min)/(Max−Min)×100.
type RatingScale struct {
	Min     int      `json:"min"`
	Max     int      `json:"max"`
	Anchors []Anchor `json:"anchors,omitempty"`
}

// DefaultRatingScale is the 1–5 scale a qualitative indicator gets when it
// names neither a scale nor a dimension.
func DefaultRatingScale() RatingScale {
	return RatingScale{Min: 1, Max: 5, Anchors: []Anchor{
		{Value: 1, Label: "far below expectations"}, {Value: 2, Label: "below expectations"},
		{Value: 3, Label: "meets expectations"}, {Value: 4, Label: "exceeds expectations"},
		{Value: 5, Label: "outstanding"},
	}}
}

// Score maps a rating on the scale to 0–100. ok is false when the rating
// is outside the scale.
func (s RatingScale) Score(rating float64) (score float64, ok bool) {
	if s.Max <= s.Min || rating < float64(s.Min) || rating > float64(s.Max) || math.IsNaN(rating) {
		return 0, false
	}
	return (rating - float64(s.Min)) / float64(s.Max-s.Min) * 100, true
}

// Indicator is one entry of a tenant's indicator library. Templates refer
// to indicators by ID; an open cycle keeps a copy of the indicators it
// uses, so later edits do not change running reviews. Indicators are
// archived, never deleted.
type Indicator struct {
	ID string `json:"id"`
	// Code is unique within the tenant ("revenue_growth"); CSV imports of
	// actuals name indicators by it.
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Kind        IndicatorKind `json:"kind"`
	// Unit, Target, Direction and Mapping describe a quantitative indicator.
	Unit      string    `json:"unit,omitempty"`
	Target    float64   `json:"target,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	Mapping   Mapping   `json:"mapping,omitempty"`
	// Scale is the rating scale of a qualitative indicator rated by people.
	Scale *RatingScale `json:"scale,omitempty"`
	// Dimension is the 360 dimension code of a qualitative indicator whose
	// score comes from multi-rater feedback (Config.Raters).
	Dimension string    `json:"dimension,omitempty"`
	Archived  bool      `json:"archived"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// IndicatorParams is what CreateIndicator and UpdateIndicator take.
//
// Validation: Code (letters, digits, '_', '-', '.', at most 64) and Name
// are required; Kind is Quantitative or Qualitative. A quantitative
// indicator needs Direction (default HigherIsBetter) and a Mapping: a ratio
// needs Target > 0 and a Cap in 0–100, bands need at least one band with
// scores 0–100 and distinct thresholds. A qualitative indicator has a Scale
// (Max > Min, anchors inside it; default DefaultRatingScale) or a
// Dimension, not both, and no quantitative fields.
type IndicatorParams struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Kind        IndicatorKind `json:"kind"`
	Unit        string        `json:"unit,omitempty"`
	Target      float64       `json:"target,omitempty"`
	Direction   Direction     `json:"direction,omitempty"`
	Mapping     Mapping       `json:"mapping,omitempty"`
	Scale       *RatingScale  `json:"scale,omitempty"`
	Dimension   string        `json:"dimension,omitempty"`
}

const (
	// maxLabel bounds period labels and grade names: hr's performance
	// history keeps them in 32 characters.
	maxLabel = 32
	maxCode  = 64
	maxName  = 200
	maxText  = 4000
)

func validCode(s string) bool {
	if s == "" || len(s) > maxCode {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

func text(v *ballast.ValidationError, field, s string, required bool, max int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "is required")
	case len([]rune(s)) > max:
		v.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// normalise fills defaults and checks p; every bad field goes to v.
func (p IndicatorParams) normalise(v *ballast.ValidationError) IndicatorParams {
	p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
	if !validCode(p.Code) {
		v.Add("code", "must be 1–64 letters, digits, '_', '-' or '.'")
	}
	text(v, "name", p.Name, true, maxName)
	text(v, "description", p.Description, false, maxText)
	text(v, "unit", p.Unit, false, maxCode)
	switch p.Kind {
	case Quantitative:
		if p.Direction == "" {
			p.Direction = HigherIsBetter
		}
		if p.Direction != HigherIsBetter && p.Direction != LowerIsBetter {
			v.Add("direction", `must be "higher" or "lower"`)
		}
		if !finite(p.Target) {
			v.Add("target", "must be a number")
		}
		switch p.Mapping.Kind {
		case MappingRatio:
			if p.Target <= 0 {
				v.Add("target", "must be above 0 for a ratio mapping")
			}
			if p.Mapping.Cap == 0 {
				p.Mapping.Cap = 100
			}
			if !finite(p.Mapping.Cap) || p.Mapping.Cap < 0 || p.Mapping.Cap > 100 {
				v.Add("mapping.cap", "must be between 0 and 100")
			}
			if len(p.Mapping.Bands) > 0 {
				v.Add("mapping.bands", "are only for a bands mapping")
			}
		case MappingBands:
			if len(p.Mapping.Bands) == 0 {
				v.Add("mapping.bands", "needs at least one band")
			}
			seen := map[float64]bool{}
			for i, b := range p.Mapping.Bands {
				if !finite(b.Threshold) {
					v.Add(fmt.Sprintf("mapping.bands[%d].threshold", i), "must be a number")
				} else if seen[b.Threshold] {
					v.Add(fmt.Sprintf("mapping.bands[%d].threshold", i), "is listed twice")
				}
				seen[b.Threshold] = true
				if !finite(b.Score) || b.Score < 0 || b.Score > 100 {
					v.Add(fmt.Sprintf("mapping.bands[%d].score", i), "must be between 0 and 100")
				}
			}
			p.Mapping.Cap = 0
			p.Mapping.Bands = slices.Clone(p.Mapping.Bands)
			slices.SortFunc(p.Mapping.Bands, func(a, b Band) int { return cmpFloat(a.Threshold, b.Threshold) })
		default:
			v.Add("mapping.kind", `must be "ratio" or "bands"`)
		}
		if p.Scale != nil {
			v.Add("scale", "is only for a qualitative indicator")
		}
		if p.Dimension != "" {
			v.Add("dimension", "is only for a qualitative indicator")
		}
	case Qualitative:
		if p.Unit != "" || p.Target != 0 || p.Direction != "" || p.Mapping.Kind != "" || len(p.Mapping.Bands) > 0 {
			v.Add("mapping", "unit, target, direction and mapping are only for a quantitative indicator")
		}
		p.Dimension = strings.TrimSpace(p.Dimension)
		switch {
		case p.Dimension != "" && p.Scale != nil:
			v.Add("dimension", "a qualitative indicator has a scale or a dimension, not both")
		case p.Dimension != "":
			if !validCode(p.Dimension) {
				v.Add("dimension", "must be 1–64 letters, digits, '_', '-' or '.'")
			}
		case p.Scale == nil:
			s := DefaultRatingScale()
			p.Scale = &s
		default:
			s := *p.Scale
			s.Anchors = slices.Clone(s.Anchors)
			p.Scale = &s
			if s.Max <= s.Min {
				v.Add("scale.max", "must be above scale.min")
			}
			seen := map[int]bool{}
			for i, a := range s.Anchors {
				if a.Value < s.Min || a.Value > s.Max {
					v.Add(fmt.Sprintf("scale.anchors[%d].value", i), "is outside the scale")
				}
				if seen[a.Value] {
					v.Add(fmt.Sprintf("scale.anchors[%d].value", i), "is listed twice")
				}
				seen[a.Value] = true
				text(v, fmt.Sprintf("scale.anchors[%d].label", i), a.Label, true, maxName)
				text(v, fmt.Sprintf("scale.anchors[%d].description", i), a.Description, false, maxText)
			}
			slices.SortFunc(s.Anchors, func(a, b Anchor) int { return a.Value - b.Value })
		}
	default:
		v.Add("kind", `must be "quantitative" or "qualitative"`)
	}
	return p
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ScoreActual maps a quantitative actual to a score 0–100 under the
// indicator's Mapping and Direction. target overrides the indicator's
// Target when it is above 0 (a template item may set its own).
func (ind Indicator) ScoreActual(actual, target float64) float64 {
	if target <= 0 {
		target = ind.Target
	}
	var s float64
	switch ind.Mapping.Kind {
	case MappingRatio:
		capv := ind.Mapping.Cap
		if capv <= 0 {
			capv = 100
		}
		switch {
		case ind.Direction == LowerIsBetter && actual <= 0:
			s = capv
		case ind.Direction == LowerIsBetter:
			s = target / actual * 100
		case target > 0:
			s = actual / target * 100
		}
		s = math.Min(s, capv)
	case MappingBands:
		bands := ind.Mapping.Bands // ascending by threshold
		if ind.Direction == LowerIsBetter {
			for _, b := range bands {
				if actual <= b.Threshold {
					s = b.Score
					break
				}
			}
		} else {
			for i := len(bands) - 1; i >= 0; i-- {
				if actual >= bands[i].Threshold {
					s = bands[i].Score
					break
				}
			}
		}
	}
	return clamp(s)
}

func clamp(s float64) float64 {
	switch {
	case math.IsNaN(s) || s < 0:
		return 0
	case s > 100:
		return 100
	}
	return s
}

// scale is the indicator's rating scale (the default when none is set).
func (ind Indicator) scale() RatingScale {
	if ind.Scale != nil {
		return *ind.Scale
	}
	return DefaultRatingScale()
}

// IndicatorQuery selects indicators for Indicators.
type IndicatorQuery struct {
	// IncludeArchived lists archived indicators too.
	IncludeArchived bool `json:"include_archived,omitempty"`
	// Kind selects one kind; empty means both.
	Kind IndicatorKind `json:"kind,omitempty"`
}
