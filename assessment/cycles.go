package assessment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// validate checks p and fills its defaults.
func (p CycleParams) validate() (CycleParams, error) {
	var v ballast.ValidationError
	p.Name = strings.TrimSpace(p.Name)
	text(&v, "name", p.Name, true, maxName)
	switch p.Kind {
	case MidYear, YearEnd, Quarterly, Custom:
	default:
		v.Add("kind", `must be "mid_year", "year_end", "quarterly" or "custom"`)
	}
	p.Period.Label = strings.TrimSpace(p.Period.Label)
	if !validCode(p.Period.Label) || len(p.Period.Label) > maxLabel {
		v.Add("period.label", fmt.Sprintf("must be 1–%d letters, digits, '_', '-' or '.' (like 2026H1)", maxLabel))
	}
	if p.Period.Start.IsZero() {
		v.Add("period.start", "is required")
	}
	if p.Period.End.IsZero() {
		v.Add("period.end", "is required")
	} else if p.Period.End.Before(p.Period.Start) {
		v.Add("period.end", "must not precede period.start")
	}
	sel := &p.Selection
	if len(sel.DepartmentIDs)+len(sel.PositionLevels)+len(sel.EmployeeIDs) == 0 {
		v.Add("selection", "needs departments, position levels or employees")
	}
	for i, id := range sel.DepartmentIDs {
		if !ballast.ValidID(id) {
			v.Add(fmt.Sprintf("selection.department_ids[%d]", i), "must be an id")
		}
	}
	for i, id := range sel.EmployeeIDs {
		if !ballast.ValidID(id) {
			v.Add(fmt.Sprintf("selection.employee_ids[%d]", i), "must be an id")
		}
	}
	for i, l := range sel.PositionLevels {
		if l < 0 || l > 99 {
			v.Add(fmt.Sprintf("selection.position_levels[%d]", i), "must be between 0 and 99")
		}
	}
	sel.DepartmentIDs, sel.EmployeeIDs = uniq(sel.DepartmentIDs), uniq(sel.EmployeeIDs)
	sel.PositionLevels = slices.Compact(slices.Sorted(slices.Values(sel.PositionLevels)))
	if !ballast.ValidID(p.TemplateID) {
		v.Add("template_id", "must be an id")
	}
	d := p.Deadlines
	prev, prevName := hr.Date{}, ""
	for _, x := range []struct {
		name string
		d    hr.Date
	}{{"deadlines.self_evaluation", d.SelfEvaluation}, {"deadlines.manager_review", d.ManagerReview},
		{"deadlines.calibration", d.Calibration}, {"deadlines.appeal_until", d.AppealUntil}} {
		if x.d.IsZero() {
			v.Add(x.name, "is required")
			continue
		}
		if !prev.IsZero() && x.d.Before(prev) {
			v.Add(x.name, "must not precede "+prevName)
		}
		prev, prevName = x.d, x.name
	}
	if p.ReminderDays == nil {
		p.ReminderDays = slices.Clone(DefaultReminderDays)
	}
	for i, r := range p.ReminderDays {
		if r < 0 || r > 60 {
			v.Add(fmt.Sprintf("reminder_days[%d]", i), "must be between 0 and 60")
		}
	}
	p.ReminderDays = slices.Compact(slices.Sorted(slices.Values(p.ReminderDays)))
	return p, v.Err()
}

func uniq(ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	out := slices.Sorted(slices.Values(ids))
	return slices.Compact(out)
}

// checkTemplateRef checks that the template exists with a published
// version.
func (s *Service) checkTemplateRef(ctx context.Context, tenant, id string) error {
	if _, err := s.store.LatestPublished(ctx, tenant, id); err != nil {
		if errors.Is(err, ballast.ErrNotFound) {
			return ballast.Invalid("template_id", "names no template with a published version")
		}
		return err
	}
	return nil
}

// CreateCycle creates a cycle in draft (PermManage); the creator becomes
// its owner.
func (s *Service) CreateCycle(ctx context.Context, p CycleParams) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if p, err = p.validate(); err != nil {
			return err
		}
		if err := s.checkTemplateRef(ctx, pr.Tenant, p.TemplateID); err != nil {
			return err
		}
		now := s.now()
		out = Cycle{ID: ballast.NewID(), Name: p.Name, Kind: p.Kind, Period: p.Period, Selection: p.Selection,
			TemplateID: p.TemplateID, Deadlines: p.Deadlines, ReminderDays: p.ReminderDays, State: CycleDraft,
			OwnerID: pr.Subject, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := s.store.InsertCycle(ctx, pr.Tenant, out); err != nil {
			return err
		}
		return s.record(ctx, ActionCycleCreate, TargetCycle, out.ID, "", nil, out)
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: create cycle: %w", err)
	}
	return out, nil
}

// UpdateCycle changes a draft cycle (PermManage). Once open, only the
// deadlines may move, through UpdateDeadlines.
func (s *Service) UpdateCycle(ctx context.Context, id string, p CycleParams, version int64) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		if p, err = p.validate(); err != nil {
			return err
		}
		before, err := s.cycleAt(ctx, pr.Tenant, id, version)
		if err != nil {
			return err
		}
		if before.State != CycleDraft {
			return wrongState("cycle %s is %s; only a draft can be edited", id, before.State)
		}
		if err := s.checkTemplateRef(ctx, pr.Tenant, p.TemplateID); err != nil {
			return err
		}
		out = before
		out.Name, out.Kind, out.Period, out.Selection, out.TemplateID = p.Name, p.Kind, p.Period, p.Selection, p.TemplateID
		out.Deadlines, out.ReminderDays = p.Deadlines, p.ReminderDays
		return s.saveCycle(ctx, pr.Tenant, before, out, ActionCycleUpdate, "")
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: update cycle: %w", err)
	}
	return out, nil
}

// cycleAt reads a cycle and checks its version.
func (s *Service) cycleAt(ctx context.Context, tenant, id string, version int64) (Cycle, error) {
	c, err := s.store.Cycle(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if c.Version != version {
		return c, staleVersion("cycle "+id, version, c.Version)
	}
	return c, nil
}

// saveCycle writes after (its version bumped) and audits the change.
func (s *Service) saveCycle(ctx context.Context, tenant string, before Cycle, after Cycle, action, reason string) error {
	return s.saveCycleInto(ctx, tenant, before, &after, action, reason)
}

func (s *Service) saveCycleInto(ctx context.Context, tenant string, before Cycle, after *Cycle, action, reason string) error {
	after.UpdatedAt, after.Version = s.now(), before.Version+1
	if err := s.store.UpdateCycle(ctx, tenant, *after, before.Version); err != nil {
		return err
	}
	b, a := before, *after
	b.Plan, a.Plan = nil, nil // the plan is audited by its template version
	return s.record(ctx, action, TargetCycle, after.ID, reason, b, a)
}

// Cycle returns one cycle with its plan. HR reads every cycle; others read
// a cycle that is no longer a draft.
func (s *Service) Cycle(ctx context.Context, id string) (Cycle, error) {
	pr, err := s.reader(ctx)
	if err == nil {
		err = ballast.CheckID("id", id)
	}
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: cycle: %w", err)
	}
	c, err := s.store.Cycle(ctx, pr.Tenant, id)
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: cycle: %w", err)
	}
	if c.State == CycleDraft {
		if ok, err := s.allowed(ctx, pr, PermManage); err != nil || !ok {
			return Cycle{}, fmt.Errorf("assessment: cycle %s: %w", id, orNotFound(err))
		}
	}
	return c, nil
}

func orNotFound(err error) error {
	if err != nil {
		return err
	}
	return ballast.ErrNotFound
}

// Cycles lists cycles ordered by ID, without their plans (PermManage).
func (s *Service) Cycles(ctx context.Context, q CycleQuery) ([]Cycle, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, fmt.Errorf("assessment: cycles: %w", err)
	}
	if q.Limit < 0 {
		return nil, fmt.Errorf("assessment: cycles: %w", ballast.Invalid("limit", "must not be negative"))
	}
	out, err := s.store.ListCycles(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("assessment: cycles: %w", err)
	}
	return out, nil
}

// OpenCycle opens a draft cycle for self-evaluation (PermManage): it pins
// the template's latest published version and the indicators it uses,
// materialises the participants the selection matches among active
// employees (each with their manager snapshotted: hr's ManagerID when
// active, else the nearest active department head up the tree who is not
// the employee, else none and HR scores; ReassignManager changes it),
// schedules their reminders and queues each
// employee's self-evaluation task. A selection matching nobody is a
// *ballast.ValidationError.
func (s *Service) OpenCycle(ctx context.Context, id string, version int64) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.cycleAt(ctx, pr.Tenant, id, version)
		if err != nil {
			return err
		}
		if before.State != CycleDraft {
			return wrongState("cycle %s is %s, not draft", id, before.State)
		}
		tpl, err := s.store.LatestPublished(ctx, pr.Tenant, before.TemplateID)
		if err != nil {
			return fmt.Errorf("template %s: %w", before.TemplateID, err)
		}
		inds, err := s.store.IndicatorsByID(ctx, pr.Tenant, tpl.indicatorIDs())
		if err != nil {
			return err
		}
		plan := &Plan{Template: tpl, Indicators: make(map[string]Indicator, len(inds))}
		for _, ind := range inds {
			plan.Indicators[ind.ID] = ind
		}
		cands, err := s.store.Candidates(ctx, pr.Tenant, before.Selection)
		if err != nil {
			return err
		}
		if len(cands) == 0 {
			return ballast.Invalid("selection", "matches no active employee")
		}
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		out = before
		out.State, out.TemplateVersion, out.Plan, out.OpenedAt, out.Participants = CycleOpen, tpl.Version, plan, s.now(), len(cands)
		now := s.now()
		ps := make([]Participant, len(cands))
		msgs := make([]notify.Message, 0, len(cands))
		heads, err := s.store.DepartmentHeads(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		depts := make(map[string]DepartmentHead, len(heads))
		for _, d := range heads {
			depts[d.DepartmentID] = d
		}
		for i, c := range cands {
			mgr := managerFor(c, depts)
			ps[i] = Participant{ID: ballast.NewID(), CycleID: id, EmployeeID: c.EmployeeID, EmployeeNumber: c.Number,
				EmployeeName: c.Name, DepartmentID: c.DepartmentID, PositionLevel: c.PositionLevel, ManagerID: mgr,
				Status: StatusSelfPending, UpdatedAt: now, Version: 1}
			ps[i].NextAlertOn = participantAlert(out, ps[i], day, false)
			msgs = append(msgs, taskMessage(out, ps[i], SideSelf, c.EmployeeID))
		}
		if err := s.store.InsertParticipants(ctx, pr.Tenant, ps); err != nil {
			return err
		}
		if _, err := s.outbox.EnqueueMany(ctx, msgs); err != nil {
			return err
		}
		return s.saveCycleInto(ctx, pr.Tenant, before, &out, ActionCycleState, fmt.Sprintf("open: %d participants, template version %d", len(ps), tpl.Version))
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: open cycle: %w", err)
	}
	return out, nil
}

// StartManagerReview moves an open cycle to manager review (PermManage):
// reminders now go to the managers, and each manager gets one task
// message for the reviews they score.
func (s *Service) StartManagerReview(ctx context.Context, id string, version int64) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, before, err := s.transition(ctx, id, version, CycleOpen)
		if err != nil {
			return err
		}
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		out = before
		out.State = CycleManagerReview
		next := nextAlert(out.Deadlines.ManagerReview, out.ReminderDays, day, false)
		if err := s.store.SetCycleAlerts(ctx, pr.Tenant, id, next, []ParticipantStatus{StatusSelfPending, StatusSelfSubmitted}); err != nil {
			return err
		}
		if err := s.keepOwnDeadlines(ctx, pr.Tenant, out, day, StatusSelfPending); err != nil {
			return err
		}
		ps, err := s.store.ListParticipants(ctx, pr.Tenant, ParticipantQuery{CycleID: id})
		if err != nil {
			return err
		}
		counts := map[string]int{}
		for _, p := range ps {
			counts[s.managerOf(out, p)]++
		}
		msgs := make([]notify.Message, 0, len(counts))
		for _, m := range sortedKeys(counts) {
			msgs = append(msgs, notify.Message{Recipients: []string{m}, Kind: KindTask,
				Subject: fmt.Sprintf("%s: %d reviews to score by %s", out.Name, counts[m], out.Deadlines.ManagerReview),
				Body:    fmt.Sprintf("Manager review of %q is open: %d reviews to score by %s.", out.Name, counts[m], out.Deadlines.ManagerReview),
				Data: map[string]string{"cycle_id": id, "phase": string(SideManager), "count": fmt.Sprint(counts[m]),
					"due_on": out.Deadlines.ManagerReview.String()},
				IdempotencyKey: KindTask + "/" + id + "/manager/" + m})
		}
		if _, err := s.outbox.EnqueueMany(ctx, msgs); err != nil {
			return err
		}
		return s.saveCycleInto(ctx, pr.Tenant, before, &out, ActionCycleState, "manager review")
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: start manager review: %w", err)
	}
	return out, nil
}

// managerFor is who scores candidate c: hr's ManagerID when that is an
// active employee other than c, else the nearest active head up the
// department tree from c's department who is not c (a department head is
// scored by the parent department's head), else nobody — HR, the cycle's
// owner, then scores.
func managerFor(c Candidate, depts map[string]DepartmentHead) string {
	if c.ManagerID != "" && c.ManagerID != c.EmployeeID && c.ManagerActive {
		return c.ManagerID
	}
	for id, n := c.DepartmentID, 0; id != "" && n <= len(depts); n++ {
		d, ok := depts[id]
		if !ok {
			break
		}
		if d.HeadID != "" && d.HeadID != c.EmployeeID && d.HeadActive {
			return d.HeadID
		}
		id = d.ParentID
	}
	return ""
}

// managerOf is who scores p: the snapshotted manager, else the cycle's
// owner.
func (s *Service) managerOf(c Cycle, p Participant) string {
	if p.ManagerID != "" {
		return p.ManagerID
	}
	return c.OwnerID
}

// StartCalibration moves a cycle in manager review to calibration
// (PermManage); reminders stop.
func (s *Service) StartCalibration(ctx context.Context, id string, version int64) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, before, err := s.transition(ctx, id, version, CycleManagerReview)
		if err != nil {
			return err
		}
		if err := s.store.SetCycleAlerts(ctx, pr.Tenant, id, hr.Date{}, nil); err != nil {
			return err
		}
		out = before
		out.State = CycleCalibration
		return s.saveCycleInto(ctx, pr.Tenant, before, &out, ActionCycleState, "calibration")
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: start calibration: %w", err)
	}
	return out, nil
}

// CloseCycle closes a finalised cycle (PermManage): its appeal window
// ends, and AdjustResult refuses its results with ErrCycleClosed.
func (s *Service) CloseCycle(ctx context.Context, id string, version int64) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, before, err := s.transition(ctx, id, version, CycleFinalised)
		if err != nil {
			return err
		}
		out = before
		out.State, out.ClosedAt = CycleClosed, s.now()
		return s.saveCycleInto(ctx, pr.Tenant, before, &out, ActionCycleState, "closed")
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: close cycle: %w", err)
	}
	return out, nil
}

// transition reads a cycle for a state change from state from.
func (s *Service) transition(ctx context.Context, id string, version int64, from CycleState) (ballast.Principal, Cycle, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return pr, Cycle{}, err
	}
	if err := ballast.CheckID("id", id); err != nil {
		return pr, Cycle{}, err
	}
	c, err := s.cycleAt(ctx, pr.Tenant, id, version)
	if err != nil {
		return pr, c, err
	}
	if c.State != from {
		return pr, c, wrongState("cycle %s is %s, not %s", id, c.State, from)
	}
	return pr, c, nil
}

// UpdateDeadlines moves the phase deadlines of a cycle that is not closed
// (PermManage); the reminders follow.
func (s *Service) UpdateDeadlines(ctx context.Context, id string, d Deadlines, version int64) (Cycle, error) {
	var out Cycle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		if err := ballast.CheckID("id", id); err != nil {
			return err
		}
		before, err := s.cycleAt(ctx, pr.Tenant, id, version)
		if err != nil {
			return err
		}
		if before.State == CycleClosed {
			return ErrCycleClosed
		}
		p := CycleParams{Name: before.Name, Kind: before.Kind, Period: before.Period, Selection: before.Selection,
			TemplateID: before.TemplateID, Deadlines: d, ReminderDays: before.ReminderDays}
		if _, err := p.validate(); err != nil {
			return err
		}
		out = before
		out.Deadlines = d
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		switch out.State {
		case CycleOpen:
			if err := s.store.SetCycleAlerts(ctx, pr.Tenant, id, nextAlert(d.SelfEvaluation, out.ReminderDays, day, false),
				[]ParticipantStatus{StatusSelfPending}); err != nil {
				return err
			}
			if err := s.keepOwnDeadlines(ctx, pr.Tenant, out, day, StatusSelfPending); err != nil {
				return err
			}
		case CycleManagerReview:
			if err := s.store.SetCycleAlerts(ctx, pr.Tenant, id, nextAlert(d.ManagerReview, out.ReminderDays, day, false),
				[]ParticipantStatus{StatusSelfPending, StatusSelfSubmitted}); err != nil {
				return err
			}
			if err := s.keepOwnDeadlines(ctx, pr.Tenant, out, day, StatusSelfPending, StatusManagerSubmitted); err != nil {
				return err
			}
		}
		return s.saveCycleInto(ctx, pr.Tenant, before, &out, ActionCycleUpdate, "deadlines")
	})
	if err != nil {
		return Cycle{}, fmt.Errorf("assessment: update deadlines: %w", err)
	}
	return out, nil
}

// keepOwnDeadlines recomputes NextAlertOn of c's participants of the
// given statuses whose self-evaluation HR reopened (a deadline of their
// own), after SetCycleAlerts reset the whole cycle: their own deadline
// keeps being reminded.
func (s *Service) keepOwnDeadlines(ctx context.Context, tenant string, c Cycle, day hr.Date, statuses ...ParticipantStatus) error {
	own := map[hr.Date][]string{}
	for _, st := range statuses {
		ps, err := s.store.ListParticipants(ctx, tenant, ParticipantQuery{CycleID: c.ID, Status: st})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !p.SelfDue.IsZero() {
				next := participantAlert(c, p, day, false)
				own[next] = append(own[next], p.ID)
			}
		}
	}
	for next, ids := range own {
		if err := s.store.SetAlerts(ctx, tenant, ids, next); err != nil {
			return err
		}
	}
	return nil
}
