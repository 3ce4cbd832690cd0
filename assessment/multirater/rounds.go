package multirater

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// CreateRound creates a round in StateNominating (HR, PermManage) with the
// tenant's current settings, adds p.Reviewees like AddReviewees and asks
// each reviewee to nominate raters. Bad input is a
// *ballast.ValidationError naming every bad field (a reviewee who is not
// an employee of the tenant or has departed included); nothing is written
// on error.
func (s *Service) CreateRound(ctx context.Context, p RoundParams) (Round, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Round{}, fmt.Errorf("multirater: create round: %w", err)
	}
	if err := p.validate(); err != nil {
		return Round{}, fmt.Errorf("multirater: create round: %w", err)
	}
	var out Round
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		st, err := s.settings(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		now := s.now()
		r := Round{ID: ballast.NewID(), CycleID: p.CycleID, Name: p.Name, Questionnaire: p.Questionnaire,
			NominationDue: p.NominationDue, ResponseDue: p.ResponseDue, State: StateNominating,
			Settings: st.clone(), CreatedBy: pr.Subject, CreatedAt: now, UpdatedAt: now, Version: 1}
		day, err := s.today(ctx, pr.Tenant, now)
		if err != nil {
			return err
		}
		r.NextAlertOn = nextAlert(r, day)
		if err := s.store.InsertRound(ctx, pr.Tenant, r); err != nil {
			return err
		}
		if err := s.record(ctx, ActionCreate, TargetRound, r.ID, "", Round{}, auditRound(r)); err != nil {
			return err
		}
		if err := s.addReviewees(ctx, pr, r, p.Reviewees); err != nil {
			return err
		}
		out = r
		out.Reviewees = len(p.Reviewees)
		return nil
	})
	if err != nil {
		return Round{}, fmt.Errorf("multirater: create round: %w", err)
	}
	return out, nil
}

// auditRound is what the audit log records of a round (the questionnaire
// text is long and does not change).
func auditRound(r Round) any {
	return struct {
		CycleID, Name              string
		NominationDue, ResponseDue string
		State                      State
		Dimensions                 int
		Settings                   Settings
	}{r.CycleID, r.Name, r.NominationDue.String(), r.ResponseDue.String(), r.State, len(r.Questionnaire.Dimensions),
		Settings{Thresholds: r.Settings.Thresholds, MaxPerRater: r.Settings.MaxPerRater, Gap: r.Settings.Gap, ReminderDays: r.Settings.ReminderDays}}
}

// AddReviewees adds employees to a round that is not closed (HR,
// PermManage) and assigns, from the org chart, their self-review, their
// manager (hr's ManagerID, else the head of their department or of the
// nearest department above it that is headed by someone else) and their
// direct reports (employees whose hr manager they are, not departed).
// Each reviewee is asked to nominate peers. An ID that is not an employee
// of the tenant or has departed is a *ballast.ValidationError; an
// employee already in the round is ballast.ErrConflict. Nothing is
// written on error.
func (s *Service) AddReviewees(ctx context.Context, roundID string, employeeIDs []string) (Round, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Round{}, fmt.Errorf("multirater: add reviewees: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(roundID) {
		v.Add("round_id", "is not a valid id")
	}
	if len(employeeIDs) == 0 {
		v.Add("reviewees", "needs at least one employee")
	}
	checkIDs(&v, "reviewees", employeeIDs)
	if err := v.Err(); err != nil {
		return Round{}, fmt.Errorf("multirater: add reviewees: %w", err)
	}
	var out Round
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.store.Round(ctx, pr.Tenant, roundID)
		if err != nil {
			return err
		}
		if r.State == StateClosed {
			return fmt.Errorf("round %s is closed: %w", r.ID, ErrRoundState)
		}
		if err := s.addReviewees(ctx, pr, r, employeeIDs); err != nil {
			return err
		}
		out, err = s.store.Round(ctx, pr.Tenant, roundID)
		return err
	})
	if err != nil {
		return Round{}, fmt.Errorf("multirater: add reviewees: %w", err)
	}
	return out, nil
}

// addReviewees checks the employees, resolves their managers and direct
// reports, and inserts reviewees and assignments in bulk.
func (s *Service) addReviewees(ctx context.Context, pr ballast.Principal, r Round, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	emps, err := s.dir.EmployeesByID(ctx, pr.Tenant, ids)
	if err != nil {
		return err
	}
	byID := make(map[string]hr.Employee, len(emps))
	for _, e := range emps {
		byID[e.ID] = e
	}
	var v ballast.ValidationError
	for i, id := range ids {
		e, ok := byID[id]
		switch {
		case !ok:
			v.Add(fmt.Sprintf("reviewees[%d]", i), "is not an employee of the tenant")
		case e.Status == hr.StatusDeparted:
			v.Add(fmt.Sprintf("reviewees[%d]", i), "has left the company")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	managers, err := s.resolveManagers(ctx, pr.Tenant, ids, byID)
	if err != nil {
		return err
	}
	reports, err := s.store.DirectReports(ctx, pr.Tenant, ids)
	if err != nil {
		return err
	}
	now := s.now()
	rs := make([]Reviewee, 0, len(ids))
	as := make([]Assignment, 0, len(ids)*4)
	recs := make([]audit.Record, 0, len(ids))
	add := func(reviewee, rater string, g Group) {
		as = append(as, Assignment{ID: ballast.NewID(), RoundID: r.ID, RevieweeID: reviewee, RaterID: rater,
			Group: g, Status: StatusOpen, CreatedAt: now, UpdatedAt: now, Version: 1})
	}
	for _, id := range ids {
		rv := Reviewee{RoundID: r.ID, EmployeeID: id, ManagerID: managers[id], AddedAt: now}
		rs = append(rs, rv)
		add(id, id, GroupSelf)
		if rv.ManagerID != "" {
			add(id, rv.ManagerID, GroupManager)
		}
		for _, rep := range reports[id] {
			if rep != id && rep != rv.ManagerID {
				add(id, rep, GroupDirectReport)
			}
		}
		recs = append(recs, audit.Record{Action: ActionReviewees, TargetType: TargetRound, TargetID: r.ID,
			Changes: audit.Diff(nil, struct{ Reviewee, Manager string }{id, rv.ManagerID})})
	}
	if err := s.store.InsertReviewees(ctx, pr.Tenant, rs); err != nil {
		if errors.Is(err, ballast.ErrConflict) {
			return fmt.Errorf("an employee is already a reviewee of round %s: %w", r.ID, err)
		}
		return err
	}
	if err := s.store.InsertAssignments(ctx, pr.Tenant, as); err != nil {
		return err
	}
	if _, err := s.audit.AppendMany(ctx, recs); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return s.notifyNominate(ctx, r, ids)
}

// resolveManagers returns each reviewee's manager: hr's ManagerID when it
// names an employee who has not departed, else the head of the reviewee's
// department or of the nearest department above it headed by someone
// else ("" when there is none).
func (s *Service) resolveManagers(ctx context.Context, tenant string, ids []string, byID map[string]hr.Employee) (map[string]string, error) {
	depts, err := s.dir.Departments(ctx, tenant)
	if err != nil {
		return nil, err
	}
	dept := make(map[string]hr.Department, len(depts))
	var others []string
	for _, d := range depts {
		dept[d.ID] = d
		if d.HeadID != "" {
			others = append(others, d.HeadID)
		}
	}
	for _, id := range ids {
		if m := byID[id].ManagerID; m != "" {
			others = append(others, m)
		}
	}
	slices.Sort(others)
	others = slices.Compact(others)
	missing := others[:0:0]
	for _, id := range others {
		if _, ok := byID[id]; !ok {
			missing = append(missing, id)
		}
	}
	more, err := s.dir.EmployeesByID(ctx, tenant, missing)
	if err != nil {
		return nil, err
	}
	active := func(id string) bool {
		e, ok := byID[id]
		return ok && e.Status != hr.StatusDeparted
	}
	for _, e := range more {
		byID[e.ID] = e
	}
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		e := byID[id]
		if e.ManagerID != "" && e.ManagerID != id && active(e.ManagerID) {
			out[id] = e.ManagerID
			continue
		}
		for d, hops := dept[e.DepartmentID], 0; d.ID != "" && hops < 64; d, hops = dept[d.ParentID], hops+1 {
			if d.HeadID != "" && d.HeadID != id && active(d.HeadID) {
				out[id] = d.HeadID
				break
			}
		}
	}
	return out, nil
}

// Round returns one round. Every employee (PermSelf) may read a round: its
// questionnaire and deadlines are no secret.
func (s *Service) Round(ctx context.Context, id string) (Round, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return Round{}, fmt.Errorf("multirater: round: %w", err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Round{}, fmt.Errorf("multirater: round: %w", err)
	}
	r, err := s.store.Round(ctx, pr.Tenant, id)
	if err != nil {
		return Round{}, fmt.Errorf("multirater: round: %w", err)
	}
	return r, nil
}

// Rounds returns the rounds of a review cycle ("" for every round of the
// tenant), oldest first. Every employee (PermSelf) may list them.
func (s *Service) Rounds(ctx context.Context, cycleID string) ([]Round, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return nil, fmt.Errorf("multirater: rounds: %w", err)
	}
	if cycleID != "" {
		if err := ballast.CheckID("cycle_id", cycleID); err != nil {
			return nil, fmt.Errorf("multirater: rounds: %w", err)
		}
	}
	rs, err := s.store.Rounds(ctx, pr.Tenant, cycleID)
	if err != nil {
		return nil, fmt.Errorf("multirater: rounds: %w", err)
	}
	return rs, nil
}

// Reviewees returns up to limit (1…1000, 0 = 100) reviewees of a round
// after the employee ID after (HR, PermManage).
func (s *Service) Reviewees(ctx context.Context, roundID, after string, limit int) ([]Reviewee, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return nil, fmt.Errorf("multirater: reviewees: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(roundID) {
		v.Add("round_id", "is not a valid id")
	}
	if after != "" && !ballast.ValidID(after) {
		v.Add("after", "is not a valid id")
	}
	if limit < 0 || limit > 1000 {
		v.Add("limit", "must be between 0 and 1000")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("multirater: reviewees: %w", err)
	}
	if limit == 0 {
		limit = 100
	}
	if _, err := s.store.Round(ctx, pr.Tenant, roundID); err != nil {
		return nil, fmt.Errorf("multirater: reviewees: %w", err)
	}
	out, err := s.store.Reviewees(ctx, pr.Tenant, roundID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("multirater: reviewees: %w", err)
	}
	return out, nil
}

// transition moves a round from one state to another (HR, PermManage)
// under its version, with audit and the notifications of the new state.
func (s *Service) transition(ctx context.Context, op, id string, version int64, from, to State, action string) (Round, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Round{}, fmt.Errorf("multirater: %s round: %w", op, err)
	}
	if err := ballast.CheckID("id", id); err != nil {
		return Round{}, fmt.Errorf("multirater: %s round: %w", op, err)
	}
	var out Round
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.store.Round(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if r.Version != version {
			return staleVersion("round "+id, version, r.Version)
		}
		if r.State != from {
			return fmt.Errorf("round %s is %s, not %s: %w", id, r.State, from, ErrRoundState)
		}
		before := r
		now := s.now()
		r.State, r.UpdatedAt, r.Version = to, now, r.Version+1
		switch to {
		case StateCollecting:
			r.OpenedAt = now
		case StateClosed:
			r.ClosedAt = now
		}
		day, err := s.today(ctx, pr.Tenant, now)
		if err != nil {
			return err
		}
		r.NextAlertOn = nextAlert(r, day)
		if err := s.store.UpdateRound(ctx, pr.Tenant, r, version); err != nil {
			return err
		}
		if err := s.record(ctx, action, TargetRound, r.ID, "", auditRound(before), auditRound(r)); err != nil {
			return err
		}
		if to == StateCollecting {
			if err := s.notifyOpened(ctx, pr.Tenant, r); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	if err != nil {
		return Round{}, fmt.Errorf("multirater: %s round: %w", op, err)
	}
	return out, nil
}

// OpenRound moves a nominating round to collecting (HR, PermManage): raters
// with open assignments are told to answer by the response deadline.
// Nominations still pending may be decided afterwards. version is the
// Version read; a stale one is ballast.ErrConflict, a round not
// nominating ErrRoundState.
func (s *Service) OpenRound(ctx context.Context, id string, version int64) (Round, error) {
	return s.transition(ctx, "open", id, version, StateNominating, StateCollecting, ActionOpen)
}

// CloseRound moves a collecting round to closed (HR, PermManage). From
// then on nothing in the round changes and its reports are available:
// reports exist only for closed rounds, so no one can compare a report
// before and after one rater's submission. Closing is final.
func (s *Service) CloseRound(ctx context.Context, id string, version int64) (Round, error) {
	return s.transition(ctx, "close", id, version, StateCollecting, StateClosed, ActionClose)
}

// SetDeadlines moves a round's deadlines (HR, PermManage), e.g. to let
// late raters submit; a closed round is ErrRoundState. Reminders follow
// the new dates.
func (s *Service) SetDeadlines(ctx context.Context, id string, nominationDue, responseDue hr.Date, version int64) (Round, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Round{}, fmt.Errorf("multirater: set deadlines: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(id) {
		v.Add("id", "is not a valid id")
	}
	checkDeadlines(&v, nominationDue, responseDue)
	if err := v.Err(); err != nil {
		return Round{}, fmt.Errorf("multirater: set deadlines: %w", err)
	}
	var out Round
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.store.Round(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		if r.Version != version {
			return staleVersion("round "+id, version, r.Version)
		}
		if r.State == StateClosed {
			return fmt.Errorf("round %s is closed: %w", id, ErrRoundState)
		}
		before := r
		now := s.now()
		r.NominationDue, r.ResponseDue, r.UpdatedAt, r.Version = nominationDue, responseDue, now, r.Version+1
		day, err := s.today(ctx, pr.Tenant, now)
		if err != nil {
			return err
		}
		r.NextAlertOn = nextAlert(r, day)
		if err := s.store.UpdateRound(ctx, pr.Tenant, r, version); err != nil {
			return err
		}
		out = r
		return s.record(ctx, ActionDeadlines, TargetRound, r.ID, "", auditRound(before), auditRound(r))
	})
	if err != nil {
		return Round{}, fmt.Errorf("multirater: set deadlines: %w", err)
	}
	return out, nil
}

// Progress counts a round's assignments per group and status (HR,
// PermManage). It never says who answered or what.
func (s *Service) Progress(ctx context.Context, roundID string) (Progress, error) {
	pr, err := s.principal(ctx, PermManage)
	if err != nil {
		return Progress{}, fmt.Errorf("multirater: progress: %w", err)
	}
	if err := ballast.CheckID("round_id", roundID); err != nil {
		return Progress{}, fmt.Errorf("multirater: progress: %w", err)
	}
	r, err := s.store.Round(ctx, pr.Tenant, roundID)
	if err != nil {
		return Progress{}, fmt.Errorf("multirater: progress: %w", err)
	}
	counts, err := s.store.CountAssignments(ctx, pr.Tenant, roundID)
	if err != nil {
		return Progress{}, fmt.Errorf("multirater: progress: %w", err)
	}
	p := Progress{RoundID: r.ID, State: r.State, Reviewees: r.Reviewees, Counts: map[Group]map[Status]int{}}
	for _, g := range Groups {
		p.Counts[g] = map[Status]int{}
		for _, st := range Statuses {
			p.Counts[g][st] = 0
		}
	}
	for _, c := range counts {
		if m, ok := p.Counts[c.Group]; ok {
			m[c.Status] += c.N
		}
	}
	return p, nil
}
