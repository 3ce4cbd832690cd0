package offboarding

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/hr"
)

// ResignParams records a resignation.
type ResignParams struct {
	EmployeeID string   `json:"employee_id"`
	Kind       ExitKind `json:"kind"`
	// SubmittedOn is the day the resignation was handed in; LastDay the
	// last working day, not before it.
	SubmittedOn hr.Date `json:"submitted_on"`
	LastDay     hr.Date `json:"last_day"`
	Reason      string  `json:"reason,omitempty"`
	// Successors (at least one) are active employees of the tenant other
	// than the leaver; they take over customers and work.
	Successors []string `json:"successors"`
	// HRID is the HR contact of the case; empty means the principal when it
	// holds PermManage.
	HRID string `json:"hr_id,omitempty"`
}

// Limits of free text.
const (
	maxReason = 2000
	maxNote   = 4000
)

func (p ResignParams) validate() error {
	var v ballast.ValidationError
	if !ballast.ValidID(p.EmployeeID) {
		v.Add("employee_id", "is not a valid id")
	}
	if !slices.Contains(ExitKinds, p.Kind) {
		v.Add("kind", fmt.Sprintf("must be one of %q", ExitKinds))
	}
	checkDate(&v, "submitted_on", p.SubmittedOn)
	checkDate(&v, "last_day", p.LastDay)
	if !p.LastDay.IsZero() && !p.SubmittedOn.IsZero() && p.LastDay.Before(p.SubmittedOn) {
		v.Add("last_day", "is before the day the resignation was submitted")
	}
	checkText(&v, "reason", p.Reason, maxReason, false)
	if len(p.Successors) == 0 {
		v.Add("successors", "needs at least one successor")
	}
	seen := map[string]bool{}
	for i, id := range p.Successors {
		f := fmt.Sprintf("successors[%d]", i)
		switch {
		case !ballast.ValidID(id):
			v.Add(f, "is not a valid id")
		case id == p.EmployeeID:
			v.Add(f, "is the employee who leaves")
		case seen[id]:
			v.Add(f, "is listed twice")
		}
		seen[id] = true
	}
	if p.HRID != "" && !ballast.ValidID(p.HRID) {
		v.Add("hr_id", "is not a valid id")
	}
	return v.Err()
}

// checkDate requires a real calendar day.
func checkDate(v *ballast.ValidationError, field string, d hr.Date) {
	if d.IsZero() {
		v.Add(field, "is required")
		return
	}
	if _, err := hr.ParseDate(d.String()); err != nil || hr.DateOf(d.In(time.UTC)) != d {
		v.Add(field, "is not a real date")
	}
}

// Resign records a resignation and opens the employee's case, in one
// transaction: the employee becomes "resigning" with the last day set; the
// case and its steps open from the tenant's template with their deadlines;
// the revocation stages due now apply (on resignation, and any whose date
// has come; every stage at once for an involuntary exit); the employee's
// customers are snapshotted and listed for handover, their assets listed
// for return; every participant is notified through the outbox.
//
// HR (PermManage) records any resignation; an employee may record their
// own voluntary one. Bad input is a *ballast.ValidationError naming every
// bad field (a successor who is the leaver, has departed, is resigning or
// is not in the tenant); an employee with an open case is ErrCaseOpen.
// Nothing is written on error.
func (s *Service) Resign(ctx context.Context, p ResignParams) (Case, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: resign: %w", err)
	}
	manages, err := s.manages(ctx, pr)
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: resign: %w", err)
	}
	if !manages && (pr.Subject != p.EmployeeID || p.Kind != ExitVoluntary) {
		return Case{}, fmt.Errorf("offboarding: resign: %w", forbidden("%s may record only their own voluntary resignation", pr.Subject))
	}
	if err := p.validate(); err != nil {
		return Case{}, fmt.Errorf("offboarding: resign: %w", err)
	}
	var out Case
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		sys := as(ctx, pr)
		emp, err := s.checkPeople(sys, p)
		if err != nil {
			return err
		}
		open, err := s.store.ListCases(ctx, pr.Tenant, CaseQuery{Status: CaseOpen, EmployeeID: p.EmployeeID, Limit: 1})
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return ErrCaseOpen
		}
		tmpl, err := s.template(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		c := Case{ID: ballast.NewID(), EmployeeID: p.EmployeeID, Kind: p.Kind, SubmittedOn: p.SubmittedOn,
			LastDay: p.LastDay, Reason: p.Reason, Successors: slices.Clone(p.Successors), ManagerID: emp.ManagerID,
			HRID: p.HRID, Status: CaseOpen, ReminderOffsets: slices.Clone(tmpl.ReminderOffsets),
			EscalateTo: slices.Clone(tmpl.EscalateTo), OpenedBy: pr.Subject, OpenedAt: s.now(), Version: 1}
		if c.HRID == "" && manages && pr.Kind == ballast.KindUser {
			c.HRID = pr.Subject
		}
		c.UpdatedAt = c.OpenedAt
		actx, err := s.accessCtx(ctx, pr, c.ID)
		if err != nil {
			return err
		}
		if c.Plan, err = s.access.TenantRevocationPlan(actx); err != nil {
			return err
		}
		loc, err := s.location(ctx, pr)
		if err != nil {
			return err
		}
		day := today(s.now(), loc)

		ep := emp.Params()
		ep.Status, ep.LastWorkingDay = hr.StatusResigning, p.LastDay
		if _, err := s.hr.UpdateEmployee(sys, emp.ID, ep, emp.Version); err != nil {
			return err
		}
		snap, err := s.customers.TakeSnapshot(sys, customersOwner(emp.ID), "offboarding case "+c.ID+": resignation")
		if err != nil {
			return err
		}
		c.SnapshotID = snap.ID

		steps := make([]Step, len(tmpl.Steps))
		for i, st := range tmpl.Steps {
			steps[i] = Step{ID: ballast.NewID(), CaseID: c.ID, Key: st.Key, Kind: st.Kind, Title: st.Title,
				Responsible: slices.Clone(st.Responsible), Assignees: c.resolve(st.Responsible),
				DueOffsetDays: st.DueOffsetDays, DueOn: addDays(p.LastDay, st.DueOffsetDays),
				ClosingRule: st.ClosingRule, Status: StepOpen, UpdatedAt: c.OpenedAt, Version: 1}
			steps[i].NextAlertOn = nextAlert(steps[i], c.ReminderOffsets, day, false)
		}
		// The stages due now; the case remembers the next date-triggered one.
		var due []access.Stage
		for _, st := range c.Plan.Stages {
			if p.Kind == ExitInvoluntary || stageDue(st, c.LastDay, day, false) {
				due = append(due, st)
			}
		}
		c.NextStageOn = nextStage(c.Plan, c.LastDay, day, p.Kind == ExitInvoluntary)
		if err := s.store.InsertCase(ctx, pr.Tenant, c); err != nil {
			if errors.Is(err, ballast.ErrConflict) {
				return ErrCaseOpen
			}
			return err
		}
		if err := s.store.InsertSteps(ctx, pr.Tenant, steps); err != nil {
			return err
		}
		for _, st := range due {
			if _, err := s.access.ApplyStage(actx, c.ID, c.EmployeeID, st, stageReason(c, st)); err != nil {
				return fmt.Errorf("apply stage %s: %w", st.Key, err)
			}
		}
		if p.Kind == ExitInvoluntary {
			for i := range steps {
				if steps[i].Kind == KindAccess {
					if err := s.finishStep(ctx, pr, &steps[i], "every revocation stage applied (involuntary exit)", false); err != nil {
						return err
					}
				}
			}
		}
		if _, _, err := s.syncHandover(ctx, pr, c); err != nil {
			return err
		}
		if _, err := s.syncItems(ctx, pr, c); err != nil {
			return err
		}
		if err := s.record(ctx, ActionResign, c.ID, p.Reason, nil, caseView(c)); err != nil {
			return err
		}
		if err := s.notifyOpened(ctx, c, steps); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Case{}, fmt.Errorf("offboarding: resign %s: %w", p.EmployeeID, err)
	}
	return out, nil
}

// checkPeople loads the leaver and checks the successors and the HR
// contact, listing every bad one.
func (s *Service) checkPeople(sys context.Context, p ResignParams) (hr.Employee, error) {
	var v ballast.ValidationError
	emp, err := s.hr.Employee(sys, p.EmployeeID)
	switch {
	case errors.Is(err, ballast.ErrNotFound):
		v.Add("employee_id", "is not an employee of this tenant")
	case err != nil:
		return hr.Employee{}, err
	case emp.Status == hr.StatusDeparted:
		v.Add("employee_id", "has departed")
	}
	if !p.LastDay.IsZero() && !emp.HireDate.IsZero() && p.LastDay.Before(emp.HireDate) {
		v.Add("last_day", "is before the hire date")
	}
	for i, id := range p.Successors {
		e, err := s.hr.Employee(sys, id)
		f := fmt.Sprintf("successors[%d]", i)
		switch {
		case errors.Is(err, ballast.ErrNotFound):
			v.Add(f, "is not an employee of this tenant")
		case err != nil:
			return hr.Employee{}, err
		case e.Status == hr.StatusDeparted:
			v.Add(f, "has departed")
		case e.Status != hr.StatusActive:
			v.Add(f, "is "+string(e.Status)+", not active")
		}
	}
	if p.HRID != "" {
		if _, err := s.hr.Employee(sys, p.HRID); errors.Is(err, ballast.ErrNotFound) {
			v.Add("hr_id", "is not an employee of this tenant")
		} else if err != nil {
			return hr.Employee{}, err
		}
	}
	return emp, v.Err()
}

// template returns the tenant's template or the default.
func (s *Service) template(ctx context.Context, tenant string) (Template, error) {
	t, err := s.store.Template(ctx, tenant)
	if errors.Is(err, ballast.ErrNotFound) {
		return DefaultTemplate(), nil
	}
	return t, err
}

// accessCtx is the context stages are applied in: the principal's own when
// it manages offboarding (it is then the recorded operator), else a system
// principal (recorded as "system:offboarding:<caseID>").
func (s *Service) accessCtx(ctx context.Context, p ballast.Principal, caseID string) (context.Context, error) {
	if p.Kind == ballast.KindUser {
		ok, err := s.auth.Allowed(ctx, PermManage)
		if err != nil {
			return nil, err
		}
		if ok {
			return ctx, nil
		}
	}
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: p.Tenant, Subject: systemSubject(caseID), Kind: ballast.KindSystem}), nil
}

// resolve turns roles into the people of the case.
func (c Case) resolve(roles []Role) []string {
	var out []string
	add := func(ids ...string) {
		for _, id := range ids {
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	for _, r := range roles {
		switch r {
		case RoleHR:
			if c.HRID != "" {
				add(c.HRID)
			} else {
				add("role:hr")
			}
		case RoleManager:
			if c.ManagerID != "" {
				add(c.ManagerID)
			} else if c.HRID != "" {
				add(c.HRID)
			} else {
				add("role:hr")
			}
		case RoleSuccessor:
			add(c.Successors...)
		case RoleEmployee:
			add(c.EmployeeID)
		case RoleAdmin:
			add("role:admin")
		}
	}
	return out
}

// stageReason is the reason recorded with a stage.
func stageReason(c Case, st access.Stage) string {
	return fmt.Sprintf("offboarding case %s: stage %s (%s)", c.ID, st.Key, st.Trigger.Kind)
}

// caseView is what the audit diff of a case shows.
func caseView(c Case) Case {
	c.Plan = access.RevocationPlan{}
	return c
}
