package assessment

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// round2 rounds to hundredths, the precision results are kept in.
func round2(f float64) float64 { return math.Round(f*100) / 100 }

// itemScore is one item's 0–100 score from the manager's entry and the
// 360 scores, and whether it has one. A quantitative actual wins over a
// hand score; a 360 dimension wins over the manager's score.
func itemScore(it WeightedItem, e *Entry, dims map[string]float64) (score float64, ok bool) {
	ind := it.Indicator
	switch {
	case ind.Kind == Quantitative && e != nil && e.Actual != nil:
		return ind.ScoreActual(*e.Actual, it.Target), true
	case ind.Kind == Qualitative && ind.Dimension != "":
		if d, found := dims[ind.Dimension]; found {
			return clamp(d), true
		}
		if e != nil && e.Score != nil {
			return clamp(*e.Score), true
		}
	case ind.Kind == Qualitative:
		if e != nil && e.Score != nil {
			return ind.scale().Score(*e.Score)
		}
	case e != nil && e.Score != nil:
		return clamp(*e.Score), true
	}
	return 0, false
}

// compute builds a participant's result from the manager's entries (by
// indicator ID), the 360 scores (by dimension), its calibration and the
// grade scale.
func compute(items []WeightedItem, entries map[string]*Entry, dims map[string]float64, cal *Calibration, grades GradeScale, at time.Time) Result {
	r := Result{Items: make([]ItemScore, 0, len(items)), Strengths: []string{}, Gaps: []string{}, FinalisedAt: at}
	total := 0.0
	for _, it := range items {
		e := entries[it.Indicator.ID]
		sc, ok := itemScore(it, e, dims)
		if !ok {
			r.Missing = append(r.Missing, it.Indicator.Code)
		}
		is := ItemScore{IndicatorID: it.Indicator.ID, Code: it.Indicator.Code, Name: it.Indicator.Name, Category: it.Category,
			Kind: it.Indicator.Kind, Weight: it.Weight, Score: round2(sc)}
		if e != nil {
			is.Actual, is.Comment = e.Actual, e.Comment
		}
		r.Items = append(r.Items, is)
		total += it.Weight * sc / 100
	}
	r.Computed = round2(total)
	r.Score = r.Computed
	if cal != nil {
		r.Score = cal.Score
	}
	r.Grade = grades.GradeOf(r.Score)
	r.Strengths, r.Gaps = strengthsAndGaps(r.Items, r.Computed)
	return r
}

// strengthsAndGaps ranks the items by how far they move the score relative
// to their weight: (score − overall) × weight. Up to three above the
// overall are strengths (largest first), up to three below are gaps
// (largest shortfall first).
func strengthsAndGaps(items []ItemScore, overall float64) (strengths, gaps []string) {
	type d struct {
		code string
		v    float64
	}
	ds := make([]d, 0, len(items))
	for _, it := range items {
		ds = append(ds, d{it.Code, (it.Score - overall) * it.Weight / 100})
	}
	slices.SortStableFunc(ds, func(a, b d) int {
		if c := cmp.Compare(b.v, a.v); c != 0 {
			return c
		}
		return cmp.Compare(a.code, b.code)
	})
	strengths, gaps = []string{}, []string{}
	for _, x := range ds {
		if x.v > 1e-9 && len(strengths) < 3 {
			strengths = append(strengths, x.code)
		}
	}
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].v < -1e-9 && len(gaps) < 3 {
			gaps = append(gaps, ds[i].code)
		}
	}
	return strengths, gaps
}

// rescore recomputes a result's score and grade after an item changed,
// keeping any calibration or earlier adjustment as an offset.
func rescore(r *Result, grades GradeScale) {
	total := 0.0
	for _, it := range r.Items {
		total += it.Weight * it.Score / 100
	}
	r.Strengths, r.Gaps = strengthsAndGaps(r.Items, round2(total))
	r.Grade = grades.GradeOf(r.Score)
}
