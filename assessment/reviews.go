package assessment

import (
	"context"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/notify"
)

// access says how the principal relates to a participant.
type access struct {
	hr, self, manager bool
}

// participantFor reads a participant and the principal's relation to it;
// a participant the principal may not see is ErrNotFound.
func (s *Service) participantFor(ctx context.Context, id string) (ballast.Principal, Participant, access, error) {
	var a access
	pr, err := s.principal(ctx, "")
	if err != nil {
		return pr, Participant{}, a, err
	}
	if err := ballast.CheckID("participant_id", id); err != nil {
		return pr, Participant{}, a, err
	}
	p, err := s.store.Participant(ctx, pr.Tenant, id)
	if err != nil {
		return pr, p, a, err
	}
	if a.hr, err = s.allowed(ctx, pr, PermManage); err != nil {
		return pr, p, a, err
	}
	if pr.Subject == p.EmployeeID {
		if a.self, err = s.allowed(ctx, pr, PermSelf); err != nil {
			return pr, p, a, err
		}
	}
	if pr.Subject == p.ManagerID && p.ManagerID != "" {
		if a.manager, err = s.allowed(ctx, pr, PermScoreDepartment); err != nil {
			return pr, p, a, err
		}
	}
	if !a.hr && !a.self && !a.manager {
		return pr, p, a, fmt.Errorf("participant %s: %w", id, ballast.ErrNotFound)
	}
	return pr, p, a, nil
}

// Participant returns one participant: to HR, to the employee and to
// their snapshotted manager; to anyone else it is ErrNotFound.
func (s *Service) Participant(ctx context.Context, id string) (Participant, error) {
	_, p, a, err := s.participantFor(ctx, id)
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: participant: %w", err)
	}
	if !a.hr && p.Status != StatusFinalised {
		p.Calibration = nil
	}
	return p, nil
}

// Participants lists participants ordered by ID (PermManage, or
// PermScoreDepartment for the participants one manages: ManagerID is then
// forced to the principal).
func (s *Service) Participants(ctx context.Context, q ParticipantQuery) ([]Participant, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("assessment: participants: %w", err)
	}
	ok, err := s.allowed(ctx, pr, PermManage)
	if err != nil {
		return nil, fmt.Errorf("assessment: participants: %w", err)
	}
	if !ok {
		if err := s.auth.Authorize(ctx, PermScoreDepartment); err != nil {
			return nil, fmt.Errorf("assessment: participants: %w", err)
		}
		q.ManagerID = pr.Subject
	}
	var v ballast.ValidationError
	for _, x := range []struct{ f, id string }{{"cycle_id", q.CycleID}, {"department_id", q.DepartmentID},
		{"employee_id", q.EmployeeID}, {"manager_id", q.ManagerID}} {
		if x.id != "" && !ballast.ValidID(x.id) {
			v.Add(x.f, "must be an id")
		}
	}
	if q.Limit < 0 {
		v.Add("limit", "must not be negative")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("assessment: participants: %w", err)
	}
	q.Lock = false
	out, err := s.store.ListParticipants(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("assessment: participants: %w", err)
	}
	if !ok {
		for i := range out {
			out[i].Calibration = nil
		}
	}
	return out, nil
}

// MyTasks lists what the principal has to do in cycles that are open or in
// manager review: their own pending self-evaluations and the reviews they
// score as snapshotted manager.
func (s *Service) MyTasks(ctx context.Context) ([]Task, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("assessment: my tasks: %w", err)
	}
	var out []Task
	cycles := map[string]Cycle{}
	cycle := func(id string) (Cycle, error) {
		if c, ok := cycles[id]; ok {
			return c, nil
		}
		c, err := s.store.Cycle(ctx, pr.Tenant, id)
		cycles[id] = c
		return c, err
	}
	own, err := s.store.ListParticipants(ctx, pr.Tenant, ParticipantQuery{EmployeeID: pr.Subject, Status: StatusSelfPending})
	if err != nil {
		return nil, fmt.Errorf("assessment: my tasks: %w", err)
	}
	for _, p := range own {
		c, err := cycle(p.CycleID)
		if err != nil {
			return nil, fmt.Errorf("assessment: my tasks: %w", err)
		}
		if c.State == CycleOpen || c.State == CycleManagerReview {
			out = append(out, Task{Kind: SideSelf, CycleID: c.ID, CycleName: c.Name, ParticipantID: p.ID,
				EmployeeID: p.EmployeeID, EmployeeName: p.EmployeeName, DueOn: p.selfDue(c), Status: p.Status})
		}
	}
	if ok, err := s.allowed(ctx, pr, PermScoreDepartment); err != nil {
		return nil, fmt.Errorf("assessment: my tasks: %w", err)
	} else if ok {
		for _, st := range []ParticipantStatus{StatusSelfPending, StatusSelfSubmitted} {
			ps, err := s.store.ListParticipants(ctx, pr.Tenant, ParticipantQuery{ManagerID: pr.Subject, Status: st})
			if err != nil {
				return nil, fmt.Errorf("assessment: my tasks: %w", err)
			}
			for _, p := range ps {
				c, err := cycle(p.CycleID)
				if err != nil {
					return nil, fmt.Errorf("assessment: my tasks: %w", err)
				}
				if c.State == CycleManagerReview && p.EmployeeID != pr.Subject {
					out = append(out, Task{Kind: SideManager, CycleID: c.ID, CycleName: c.Name, ParticipantID: p.ID,
						EmployeeID: p.EmployeeID, EmployeeName: p.EmployeeName, DueOn: c.Deadlines.ManagerReview, Status: p.Status})
				}
			}
		}
	}
	if out == nil {
		out = []Task{}
	}
	return out, nil
}

// Review returns a participant's review as the principal may see it: the
// employee sees their self-evaluation, and the manager's entries once the
// cycle is finalised; the manager and HR see the self-evaluation only once
// it is submitted (a draft is private to the employee); HR and the manager
// see the manager's entries.
func (s *Service) Review(ctx context.Context, participantID string) (Review, error) {
	pr, p, a, err := s.participantFor(ctx, participantID)
	if err != nil {
		return Review{}, fmt.Errorf("assessment: review: %w", err)
	}
	r, err := s.review(ctx, pr.Tenant, p, a)
	if err != nil {
		return Review{}, fmt.Errorf("assessment: review: %w", err)
	}
	return r, nil
}

func (s *Service) review(ctx context.Context, tenant string, p Participant, a access) (Review, error) {
	c, err := s.store.Cycle(ctx, tenant, p.CycleID)
	if err != nil {
		return Review{}, err
	}
	r := Review{Cycle: c, Participant: p, Items: c.Plan.Items(p.DepartmentID), SelfDue: p.selfDue(c)}
	finalised := c.State == CycleFinalised || c.State == CycleClosed
	// A self-evaluation is the employee's own until submitted: HR and the
	// manager see it only once SelfSubmittedAt is set (a manager's submit
	// or a reopen does not publish a draft).
	if a.self || !p.SelfSubmittedAt.IsZero() {
		if r.Self, err = s.store.Entries(ctx, tenant, p.ID, SideSelf); err != nil {
			return Review{}, err
		}
	}
	if a.hr || a.manager || finalised {
		if r.Manager, err = s.store.Entries(ctx, tenant, p.ID, SideManager); err != nil {
			return Review{}, err
		}
	}
	if !a.hr && !finalised {
		r.Participant.Calibration = nil
	}
	return r, nil
}

// itemScale describes what a score on item may be: a rating on its scale
// (qualitative), or 0–100.
func itemRange(ind Indicator) (lo, hi float64) {
	if ind.Kind == Qualitative && ind.Dimension == "" {
		sc := ind.scale()
		return float64(sc.Min), float64(sc.Max)
	}
	return 0, 100
}

// checkEntries validates inputs against the participant's items and
// returns them as entries of side.
func checkEntries(items []WeightedItem, p Participant, side Side, in []EntryInput, by string, now time.Time) ([]Entry, error) {
	var v ballast.ValidationError
	byID := make(map[string]WeightedItem, len(items))
	for _, it := range items {
		byID[it.Indicator.ID] = it
	}
	seen := map[string]bool{}
	out := make([]Entry, 0, len(in))
	for i, e := range in {
		f := fmt.Sprintf("entries[%d]", i)
		it, ok := byID[e.IndicatorID]
		if !ok {
			v.Add(f+".indicator_id", "is not an indicator of this review")
			continue
		}
		if seen[e.IndicatorID] {
			v.Add(f+".indicator_id", "is listed twice")
		}
		seen[e.IndicatorID] = true
		if e.Score != nil {
			lo, hi := itemRange(it.Indicator)
			if !finite(*e.Score) || *e.Score < lo || *e.Score > hi {
				v.Add(f+".score", fmt.Sprintf("must be between %g and %g for %q", lo, hi, it.Indicator.Code))
			}
		}
		text(&v, f+".comment", e.Comment, false, maxText)
		if e.Actual != nil {
			switch {
			case side != SideManager:
				v.Add(f+".actual", "is entered by the manager or HR")
			case it.Indicator.Kind != Quantitative:
				v.Add(f+".actual", "is only for a quantitative indicator")
			case !finite(*e.Actual):
				v.Add(f+".actual", "must be a number")
			}
		}
		if len(e.Evidence) > 0 && side != SideSelf {
			v.Add(f+".evidence", "belongs to the self-evaluation")
		}
		if len(e.Evidence) > 20 {
			v.Add(f+".evidence", "holds at most 20 items")
		}
		for j, ev := range e.Evidence {
			checkEvidence(&v, fmt.Sprintf("%s.evidence[%d]", f, j), ev)
		}
		out = append(out, Entry{ParticipantID: p.ID, CycleID: p.CycleID, IndicatorID: e.IndicatorID, Side: side,
			Score: e.Score, Comment: e.Comment, Actual: e.Actual, Evidence: e.Evidence, UpdatedBy: by, UpdatedAt: now})
	}
	return out, v.Err()
}

func checkEvidence(v *ballast.ValidationError, f string, ev Evidence) {
	switch ev.Kind {
	case EvidenceLink:
		u, err := url.Parse(ev.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			v.Add(f+".url", "must be an http or https URL")
		}
		if ev.SHA256 != "" || ev.Size != 0 {
			v.Add(f+".sha256", "is only for a file")
		}
	case EvidenceFile:
		text(v, f+".name", ev.Name, true, maxName)
		if b, err := hex.DecodeString(ev.SHA256); err != nil || len(b) != 32 || strings.ToLower(ev.SHA256) != ev.SHA256 {
			v.Add(f+".sha256", "must be the file's SHA-256 as 64 lower-case hex digits")
		}
		if ev.Size < 0 {
			v.Add(f+".size", "must not be negative")
		}
		text(v, f+".content_type", ev.ContentType, false, maxCode*2)
	default:
		v.Add(f+".kind", `must be "link" or "file"`)
	}
	text(v, f+".url", ev.URL, false, 2000)
}

// selfOpen checks that the self-evaluation of p may change on day.
func selfOpen(c Cycle, p Participant, day hr.Date) error {
	if c.State != CycleOpen && c.State != CycleManagerReview {
		return wrongState("cycle %s is %s", c.ID, c.State)
	}
	// Status alone is not enough: the manager may submit their review while
	// the employee's (reopened) self-evaluation is still a draft.
	if !p.SelfSubmittedAt.IsZero() || p.Status == StatusSelfSubmitted || p.Status == StatusFinalised {
		return fmt.Errorf("self-evaluation of %s: %w", p.ID, ErrAlreadySubmitted)
	}
	if due := p.selfDue(c); day.After(due) {
		return fmt.Errorf("self-evaluation was due on %s: %w", due, ErrDeadlinePassed)
	}
	return nil
}

// SaveSelfEvaluation saves the employee's draft scores, comments and
// evidence for the listed indicators (PermSelf, own review only; others
// keep theirs). Scores are ratings on the indicator's scale (0–100 for
// quantitative ones). The draft is hidden from the manager until
// submitted. After the deadline it is ErrDeadlinePassed unless HR
// reopened the self-evaluation.
func (s *Service) SaveSelfEvaluation(ctx context.Context, participantID string, in []EntryInput) (Review, error) {
	var out Review
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, p, a, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		if !a.self {
			return forbidden("only the employee writes their self-evaluation")
		}
		c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
		if err != nil {
			return err
		}
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		if err := selfOpen(c, p, day); err != nil {
			return err
		}
		es, err := checkEntries(c.Plan.Items(p.DepartmentID), p, SideSelf, in, pr.Subject, s.now())
		if err != nil {
			return err
		}
		if err := s.store.PutEntries(ctx, pr.Tenant, es); err != nil {
			return err
		}
		out, err = s.review(ctx, pr.Tenant, p, a)
		return err
	})
	if err != nil {
		return Review{}, fmt.Errorf("assessment: save self-evaluation: %w", err)
	}
	return out, nil
}

// SubmitSelfEvaluation submits the employee's self-evaluation (PermSelf,
// own review only): every indicator needs a score (a *ballast.
// ValidationError names the missing ones). The manager sees it from now
// on. After the deadline it is ErrDeadlinePassed unless HR reopened it.
func (s *Service) SubmitSelfEvaluation(ctx context.Context, participantID string) (Participant, error) {
	var out Participant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, p, a, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		if !a.self {
			return forbidden("only the employee submits their self-evaluation")
		}
		c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
		if err != nil {
			return err
		}
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		if err := selfOpen(c, p, day); err != nil {
			return err
		}
		es, err := s.store.Entries(ctx, pr.Tenant, p.ID, SideSelf)
		if err != nil {
			return err
		}
		scored := map[string]bool{}
		for _, e := range es {
			scored[e.IndicatorID] = e.Score != nil
		}
		var v ballast.ValidationError
		for _, it := range c.Plan.Items(p.DepartmentID) {
			if !scored[it.Indicator.ID] {
				v.Add("entries."+it.Indicator.Code, "has no score")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		out = p
		out.SelfSubmittedAt = s.now()
		if out.Status == StatusSelfPending { // a submitted manager review stays submitted
			out.Status = StatusSelfSubmitted
		}
		out.NextAlertOn = participantAlert(c, out, day, false)
		return s.saveParticipant(ctx, pr.Tenant, p, &out, ActionSelfSubmit, "")
	})
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: submit self-evaluation: %w", err)
	}
	return out, nil
}

// saveParticipant writes after (version bumped) and audits the change.
func (s *Service) saveParticipant(ctx context.Context, tenant string, before Participant, after *Participant, action, reason string) error {
	after.UpdatedAt, after.Version = s.now(), before.Version+1
	if err := s.store.UpdateParticipant(ctx, tenant, *after, before.Version); err != nil {
		return err
	}
	b, a := before, *after
	b.NextAlertOn, a.NextAlertOn = hr.Date{}, hr.Date{}
	return s.record(ctx, action, TargetParticipant, after.ID, reason, b, a)
}

// ReopenSelfEvaluation gives one participant a new self-evaluation
// deadline (PermManage) while the cycle is open or in manager review: a
// submitted self-evaluation returns to draft, and the employee is told.
// due must not be in the past; reason is required. A review the manager
// already submitted is ErrWrongState.
func (s *Service) ReopenSelfEvaluation(ctx context.Context, participantID string, due hr.Date, reason string) (Participant, error) {
	var out Participant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		_, p, _, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		day, err := s.today(ctx, pr, s.now())
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if due.IsZero() {
			v.Add("due", "is required")
		} else if due.Before(day) {
			v.Add("due", "must not be in the past")
		}
		text(&v, "reason", reason, true, maxText)
		if err := v.Err(); err != nil {
			return err
		}
		c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
		if err != nil {
			return err
		}
		if c.State != CycleOpen && c.State != CycleManagerReview {
			return wrongState("cycle %s is %s", c.ID, c.State)
		}
		if p.Status != StatusSelfPending && p.Status != StatusSelfSubmitted {
			return wrongState("the review of %s is %s", p.ID, p.Status)
		}
		out = p
		out.Status, out.SelfDue, out.SelfSubmittedAt = StatusSelfPending, due, time.Time{}
		out.NextAlertOn = participantAlert(c, out, day, false)
		if err := s.saveParticipant(ctx, pr.Tenant, p, &out, ActionSelfReopen, strings.TrimSpace(reason)); err != nil {
			return err
		}
		m := taskMessage(c, out, SideSelf, out.EmployeeID)
		m.Kind = KindReopened
		m.IdempotencyKey = fmt.Sprintf("%s/%s/%s/%d", KindReopened, out.ID, due, out.Version)
		_, err = s.outbox.EnqueueMany(ctx, []notify.Message{m})
		return err
	})
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: reopen self-evaluation: %w", err)
	}
	return out, nil
}

// ReassignManager makes managerID the manager who scores a participant's
// review (PermManage), e.g. when the snapshotted manager leaves mid-cycle;
// an empty managerID leaves the review to HR (the cycle's owner). The
// manager must be an active employee other than the participant; the
// cycle must be open or in manager review and the manager review not yet
// submitted. reason is required; the change is audited and, in manager
// review, the new manager is given the task.
func (s *Service) ReassignManager(ctx context.Context, participantID, managerID, reason string) (Participant, error) {
	var out Participant
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, err := s.principal(ctx, PermManage)
		if err != nil {
			return err
		}
		var v ballast.ValidationError
		if !ballast.ValidID(participantID) {
			v.Add("participant_id", "must be an id")
		}
		if managerID != "" && !ballast.ValidID(managerID) {
			v.Add("manager_id", "must be an id")
		}
		reason = strings.TrimSpace(reason)
		text(&v, "reason", reason, true, maxText)
		if err := v.Err(); err != nil {
			return err
		}
		_, p, _, err := s.participantFor(ctx, participantID)
		if err != nil {
			return err
		}
		if managerID != "" {
			if managerID == p.EmployeeID {
				return ballast.Invalid("manager_id", "is the participant")
			}
			found, err := s.store.Candidates(ctx, pr.Tenant, Selection{EmployeeIDs: []string{managerID}})
			if err != nil {
				return err
			}
			if len(found) != 1 {
				return ballast.Invalid("manager_id", "is not an active employee")
			}
		}
		c, err := s.store.Cycle(ctx, pr.Tenant, p.CycleID)
		if err != nil {
			return err
		}
		if c.State != CycleOpen && c.State != CycleManagerReview {
			return wrongState("cycle %s is %s", c.ID, c.State)
		}
		if p.Status == StatusManagerSubmitted || p.Status == StatusFinalised {
			return wrongState("the review of %s is %s", p.ID, p.Status)
		}
		out = p
		out.ManagerID = managerID
		if err := s.saveParticipant(ctx, pr.Tenant, p, &out, ActionManagerReassign, reason); err != nil {
			return err
		}
		if c.State != CycleManagerReview {
			return nil
		}
		m := taskMessage(c, out, SideManager, s.managerOf(c, out))
		_, err = s.outbox.EnqueueMany(ctx, []notify.Message{m})
		return err
	})
	if err != nil {
		return Participant{}, fmt.Errorf("assessment: reassign manager: %w", err)
	}
	return out, nil
}
