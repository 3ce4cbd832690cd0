package assessment

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
)

// TemplateStatus is the state of one version of a template.
type TemplateStatus string

// The template statuses.
const (
	// TemplateDraft versions may be edited; a cycle cannot use them.
	TemplateDraft TemplateStatus = "draft"
	// TemplatePublished versions are frozen; cycles open on them.
	TemplatePublished TemplateStatus = "published"
)

// Template groups indicators into weighted categories. It is versioned:
// PublishTemplate freezes a version, UpdateTemplate on a published version
// starts the next draft version, and a cycle keeps the version it opened
// with.
type Template struct {
	// ID identifies the template across its versions.
	ID string `json:"id"`
	// Version counts the template's versions from 1.
	Version     int            `json:"version"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Status      TemplateStatus `json:"status"`
	// Categories carry weights summing to 100; each category's items carry
	// weights summing to 100 within it.
	Categories []Category `json:"categories"`
	// Overrides replace the category weights for departments (sales: 70 on
	// results); each override's weights sum to 100 too.
	Overrides   []Override `json:"overrides,omitempty"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	PublishedAt time.Time  `json:"published_at,omitzero"`
}

// Category is one weighted group of indicators ("results" 60, "competencies"
// 40).
type Category struct {
	// Key names the category within the template ("results"); overrides
	// refer to it.
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Items  []Item  `json:"items"`
}

// Item is one indicator in a category, with its weight within the
// category.
type Item struct {
	IndicatorID string  `json:"indicator_id"`
	Weight      float64 `json:"weight"`
	// Target overrides the indicator's default target for this template
	// (quantitative indicators; 0 keeps the default).
	Target float64 `json:"target,omitempty"`
}

// Override gives one department its own category weights.
type Override struct {
	DepartmentID string `json:"department_id"`
	// Weights maps category keys to weights; every category is listed.
	Weights map[string]float64 `json:"weights"`
}

// TemplateParams is what CreateTemplate and UpdateTemplate take.
//
// Validation: Name is required; at least one category; category keys are
// codes and unique; every category has at least one item; an indicator
// appears once in the template, exists in the library and is not archived;
// weights are above 0 and sum to exactly 100 at every level — across the
// categories ("categories"), within each category ("categories[i].items")
// and in each override ("overrides[i].weights"), and the error names that
// level. Overrides name distinct departments and every category.
type TemplateParams struct {
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Categories  []Category `json:"categories"`
	Overrides   []Override `json:"overrides,omitempty"`
}

// weightsSum reports whether ws sum to 100 (to a millionth).
func weightsSum(ws []float64) (float64, bool) {
	sum := 0.0
	for _, w := range ws {
		sum += w
	}
	return sum, math.Abs(sum-100) < 1e-6
}

// validate checks p's shape and weights (the indicators themselves are
// checked by the Service against the library).
func (p TemplateParams) validate(v *ballast.ValidationError) TemplateParams {
	p.Name = strings.TrimSpace(p.Name)
	text(v, "name", p.Name, true, maxName)
	text(v, "description", p.Description, false, maxText)
	if len(p.Categories) == 0 {
		v.Add("categories", "needs at least one category")
	}
	p.Categories = slices.Clone(p.Categories)
	keys := map[string]bool{}
	inds := map[string]bool{}
	cw := make([]float64, 0, len(p.Categories))
	for i := range p.Categories {
		c := &p.Categories[i]
		f := fmt.Sprintf("categories[%d]", i)
		c.Key = strings.TrimSpace(c.Key)
		if !validCode(c.Key) {
			v.Add(f+".key", "must be 1–64 letters, digits, '_', '-' or '.'")
		} else if keys[c.Key] {
			v.Add(f+".key", "is listed twice")
		}
		keys[c.Key] = true
		text(v, f+".name", c.Name, true, maxName)
		if !finite(c.Weight) || c.Weight <= 0 {
			v.Add(f+".weight", "must be above 0")
		}
		cw = append(cw, c.Weight)
		if len(c.Items) == 0 {
			v.Add(f+".items", "needs at least one indicator")
			continue
		}
		c.Items = slices.Clone(c.Items)
		iw := make([]float64, 0, len(c.Items))
		for j, it := range c.Items {
			g := fmt.Sprintf("%s.items[%d]", f, j)
			if !ballast.ValidID(it.IndicatorID) {
				v.Add(g+".indicator_id", "must be an id")
			} else if inds[it.IndicatorID] {
				v.Add(g+".indicator_id", "is used twice in the template")
			}
			inds[it.IndicatorID] = true
			if !finite(it.Weight) || it.Weight <= 0 {
				v.Add(g+".weight", "must be above 0")
			}
			if !finite(it.Target) || it.Target < 0 {
				v.Add(g+".target", "must be 0 (the indicator's) or above")
			}
			iw = append(iw, it.Weight)
		}
		if sum, ok := weightsSum(iw); !ok {
			v.Add(f+".items", fmt.Sprintf("item weights of category %q sum to %g, not 100", c.Key, sum))
		}
	}
	if sum, ok := weightsSum(cw); !ok && len(cw) > 0 {
		v.Add("categories", fmt.Sprintf("category weights sum to %g, not 100", sum))
	}
	depts := map[string]bool{}
	p.Overrides = slices.Clone(p.Overrides)
	for i, o := range p.Overrides {
		f := fmt.Sprintf("overrides[%d]", i)
		if !ballast.ValidID(o.DepartmentID) {
			v.Add(f+".department_id", "must be an id")
		} else if depts[o.DepartmentID] {
			v.Add(f+".department_id", "is listed twice")
		}
		depts[o.DepartmentID] = true
		ws := make([]float64, 0, len(o.Weights))
		for _, k := range sortedKeys(o.Weights) {
			w := o.Weights[k]
			if !keys[k] {
				v.Add(f+".weights", fmt.Sprintf("names unknown category %q", k))
			}
			if !finite(w) || w <= 0 {
				v.Add(f+".weights", fmt.Sprintf("weight of %q must be above 0", k))
			}
			ws = append(ws, w)
		}
		for _, c := range p.Categories {
			if _, ok := o.Weights[c.Key]; !ok && c.Key != "" {
				v.Add(f+".weights", fmt.Sprintf("misses category %q", c.Key))
			}
		}
		if sum, ok := weightsSum(ws); !ok {
			v.Add(f+".weights", fmt.Sprintf("category weights for department %s sum to %g, not 100", o.DepartmentID, sum))
		}
	}
	return p
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// categoryWeight is the weight of category c for department dept.
func (t Template) categoryWeight(c Category, dept string) float64 {
	for _, o := range t.Overrides {
		if o.DepartmentID == dept {
			if w, ok := o.Weights[c.Key]; ok {
				return w
			}
		}
	}
	return c.Weight
}

// WeightedItem is one indicator as it counts for one participant: its
// category, and its effective weight (category weight × item weight /
// 100, so a participant's effective weights sum to 100).
type WeightedItem struct {
	Category  string    `json:"category"`
	Indicator Indicator `json:"indicator"`
	Weight    float64   `json:"weight"`
	Target    float64   `json:"target,omitempty"`
}

// ItemsFor returns the template's indicators with their effective weights
// for a participant of department dept (its override applied), in template
// order. indicators maps IDs to the indicators the template uses.
func (t Template) ItemsFor(dept string, indicators map[string]Indicator) []WeightedItem {
	var out []WeightedItem
	for _, c := range t.Categories {
		cw := t.categoryWeight(c, dept)
		for _, it := range c.Items {
			ind := indicators[it.IndicatorID]
			target := it.Target
			if target == 0 {
				target = ind.Target
			}
			out = append(out, WeightedItem{Category: c.Key, Indicator: ind, Weight: cw * it.Weight / 100, Target: target})
		}
	}
	return out
}

// indicatorIDs lists the indicators the template uses.
func (t Template) indicatorIDs() []string {
	var ids []string
	for _, c := range t.Categories {
		for _, it := range c.Items {
			ids = append(ids, it.IndicatorID)
		}
	}
	return ids
}

// DefaultTemplate returns the usual two-category template: "results"
// weighing 60 with the quantitative indicators, "competencies" weighing 40
// with the qualitative ones, each indicator weighing the same within its
// category. With only one kind of indicator, its category weighs 100.
// Pass it to CreateTemplate, after adjusting it if need be.
func DefaultTemplate(name string, quantitativeIDs, qualitativeIDs []string) TemplateParams {
	p := TemplateParams{Name: name}
	add := func(key, title string, weight float64, ids []string) {
		if len(ids) == 0 {
			return
		}
		c := Category{Key: key, Name: title, Weight: weight}
		for _, id := range ids {
			c.Items = append(c.Items, Item{IndicatorID: id, Weight: 100 / float64(len(ids))})
		}
		p.Categories = append(p.Categories, c)
	}
	qw, lw := 60.0, 40.0
	switch {
	case len(quantitativeIDs) == 0:
		lw = 100
	case len(qualitativeIDs) == 0:
		qw = 100
	}
	add("results", "Results", qw, quantitativeIDs)
	add("competencies", "Competencies", lw, qualitativeIDs)
	return p
}
