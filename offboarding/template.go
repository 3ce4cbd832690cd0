package offboarding

import (
	"fmt"
	"regexp"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
)

// StepKind is what a step hands over.
type StepKind string

// The step kinds. A template holds at most one step of each built-in kind
// and any number of custom steps.
const (
	// KindCustomers: the employee's customers go to successors, who sign.
	KindCustomers StepKind = "customers"
	// KindWork: the employee's work report, approved by the manager.
	KindWork StepKind = "work"
	// KindItems: company assets returned, confirmed by the administration.
	KindItems StepKind = "items"
	// KindAccess: the staged revocation of permissions; done when the last
	// stage has applied.
	KindAccess StepKind = "access"
	// KindCustom: a tenant's own step, closed by its ClosingRule.
	KindCustom StepKind = "custom"
)

// StepKinds lists every kind, in a stable order.
var StepKinds = []StepKind{KindCustomers, KindWork, KindItems, KindAccess, KindCustom}

// Role is a party responsible for (or told about) a step.
type Role string

// The roles. Each is resolved to people when a case opens: the HR contact
// of the case, the employee's line manager, the successors, the employee,
// and the administration (the recipient "role:admin", which the host's
// notifier resolves).
const (
	RoleHR        Role = "hr"
	RoleManager   Role = "manager"
	RoleSuccessor Role = "successor"
	RoleEmployee  Role = "employee"
	RoleAdmin     Role = "admin"
)

// Roles lists every role, in a stable order.
var Roles = []Role{RoleHR, RoleManager, RoleSuccessor, RoleEmployee, RoleAdmin}

// ClosingRule says what closes a custom step.
type ClosingRule string

// The closing rules of custom steps.
const (
	// CloseBySignature: a responsible party signs (an electronic signature
	// over the step's note is recorded).
	CloseBySignature ClosingRule = "signature"
	// CloseByApproval: the manager or HR approves.
	CloseByApproval ClosingRule = "approval"
	// CloseByConfirmation: any responsible party confirms.
	CloseByConfirmation ClosingRule = "confirmation"
)

// ClosingRules lists every closing rule, in a stable order.
var ClosingRules = []ClosingRule{CloseBySignature, CloseByApproval, CloseByConfirmation}

// StepTemplate is one step of a Template.
type StepTemplate struct {
	// Key identifies the step within the template ("customers",
	// "exit-interview"): lower-case letters, digits and dashes.
	Key   string   `json:"key"`
	Kind  StepKind `json:"kind"`
	Title string   `json:"title"`
	// Responsible are the roles that do the step (at least one).
	Responsible []Role `json:"responsible"`
	// DueOffsetDays places the deadline relative to the last working day:
	// -3 is three calendar days before it. It may not exceed the
	// template's GraceDays.
	DueOffsetDays int `json:"due_offset_days"`
	// ClosingRule is required for custom steps and empty for the others.
	ClosingRule ClosingRule `json:"closing_rule,omitempty"`
}

// Template is a tenant's offboarding template: the steps every case opens
// with, when reminders go out and who hears of a missed deadline.
type Template struct {
	Steps []StepTemplate `json:"steps"`
	// ReminderOffsets are the days before a deadline on which its
	// responsible parties are reminded (default 2 and 1).
	ReminderOffsets []int `json:"reminder_offsets"`
	// EscalateTo are told when a deadline passes with the step open
	// (default manager and HR).
	EscalateTo []Role `json:"escalate_to"`
	// GraceDays is how far after the last day a deadline may fall (0:
	// every deadline on or before the last day).
	GraceDays int `json:"grace_days"`
	// Version increases with every change of the tenant's template; 0 for
	// the built-in default.
	Version   int64     `json:"version"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// DefaultTemplate is the built-in template a tenant uses until it sets its
// own: customer handover and work handover three days before the last
// day, item return and access on the last day, reminders two days and one
// day before, escalation to the manager and HR.
func DefaultTemplate() Template {
	return Template{
		Steps: []StepTemplate{
			{Key: "customers", Kind: KindCustomers, Title: "Customer handover", Responsible: []Role{RoleEmployee, RoleSuccessor}, DueOffsetDays: -3},
			{Key: "work", Kind: KindWork, Title: "Work handover", Responsible: []Role{RoleEmployee, RoleManager}, DueOffsetDays: -3},
			{Key: "items", Kind: KindItems, Title: "Item return", Responsible: []Role{RoleEmployee, RoleAdmin}, DueOffsetDays: 0},
			{Key: "access", Kind: KindAccess, Title: "Access revocation", Responsible: []Role{RoleHR}, DueOffsetDays: 0},
		},
		ReminderOffsets: []int{2, 1},
		EscalateTo:      []Role{RoleManager, RoleHR},
	}
}

var keyPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Limits of a template.
const (
	maxSteps      = 50
	maxTitle      = 200
	maxOffsetDays = 365
	maxGraceDays  = 30
)

// Validate lists every problem of t: step keys unique and well-formed,
// kinds and roles known, at most one step of each built-in kind, a title
// and at least one responsible party per step, deadlines not after the
// last day plus GraceDays, a closing rule exactly on custom steps,
// reminder offsets positive and distinct.
func (t Template) Validate() error {
	var v ballast.ValidationError
	if t.GraceDays < 0 || t.GraceDays > maxGraceDays {
		v.Add("grace_days", fmt.Sprintf("must be between 0 and %d", maxGraceDays))
	}
	switch {
	case len(t.Steps) == 0:
		v.Add("steps", "needs at least one step")
	case len(t.Steps) > maxSteps:
		v.Add("steps", fmt.Sprintf("may hold at most %d steps", maxSteps))
	}
	keys := map[string]bool{}
	kinds := map[StepKind]bool{}
	for i, s := range t.Steps {
		f := func(name string) string { return fmt.Sprintf("steps[%d].%s", i, name) }
		switch {
		case !keyPattern.MatchString(s.Key):
			v.Add(f("key"), "must be 1-63 lower-case letters, digits or dashes")
		case keys[s.Key]:
			v.Add(f("key"), fmt.Sprintf("%q is used by another step", s.Key))
		}
		keys[s.Key] = true
		switch {
		case !slices.Contains(StepKinds, s.Kind):
			v.Add(f("kind"), fmt.Sprintf("must be one of %q", StepKinds))
		case s.Kind != KindCustom && kinds[s.Kind]:
			v.Add(f("kind"), fmt.Sprintf("a template has at most one %s step", s.Kind))
		}
		kinds[s.Kind] = true
		checkText(&v, f("title"), s.Title, maxTitle, true)
		if len(s.Responsible) == 0 {
			v.Add(f("responsible"), "needs at least one responsible party")
		}
		for j, r := range s.Responsible {
			if !slices.Contains(Roles, r) {
				v.Add(fmt.Sprintf("steps[%d].responsible[%d]", i, j), fmt.Sprintf("must be one of %q", Roles))
			}
		}
		switch {
		case s.DueOffsetDays > t.GraceDays:
			v.Add(f("due_offset_days"), fmt.Sprintf("puts the deadline after the last day plus %d grace days", t.GraceDays))
		case s.DueOffsetDays < -maxOffsetDays:
			v.Add(f("due_offset_days"), fmt.Sprintf("may be at most %d days before the last day", maxOffsetDays))
		}
		switch {
		case s.Kind == KindCustom && s.ClosingRule == "":
			v.Add(f("closing_rule"), "is required for a custom step")
		case s.Kind == KindCustom && !slices.Contains(ClosingRules, s.ClosingRule):
			v.Add(f("closing_rule"), fmt.Sprintf("must be one of %q", ClosingRules))
		case s.Kind != KindCustom && s.ClosingRule != "":
			v.Add(f("closing_rule"), "is only for custom steps")
		}
	}
	seen := map[int]bool{}
	for i, o := range t.ReminderOffsets {
		switch {
		case o < 1 || o > maxOffsetDays:
			v.Add(fmt.Sprintf("reminder_offsets[%d]", i), fmt.Sprintf("must be between 1 and %d days", maxOffsetDays))
		case seen[o]:
			v.Add(fmt.Sprintf("reminder_offsets[%d]", i), "is repeated")
		}
		seen[o] = true
	}
	for i, r := range t.EscalateTo {
		if !slices.Contains(Roles, r) {
			v.Add(fmt.Sprintf("escalate_to[%d]", i), fmt.Sprintf("must be one of %q", Roles))
		}
	}
	return v.Err()
}

// Step returns the step template with key, if any.
func (t Template) Step(key string) (StepTemplate, bool) {
	for _, s := range t.Steps {
		if s.Key == key {
			return s, true
		}
	}
	return StepTemplate{}, false
}

// checkText checks a text field: required when asked, at most max
// characters, valid UTF-8 without control characters other than newlines
// and tabs.
func checkText(v *ballast.ValidationError, field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		v.Add(field, "is required")
	case !utf8.ValidString(s):
		v.Add(field, "is not valid utf-8")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("is longer than %d characters", max))
	default:
		for _, r := range s {
			if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || r == 0x7f {
				v.Add(field, "contains control characters")
				return
			}
		}
	}
}
