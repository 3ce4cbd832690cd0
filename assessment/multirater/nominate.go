package multirater

import (
	"context"
	"errors"
	"fmt"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// Nominate nominates raters of one group (peer or other) for a reviewee:
// the reviewee themself (PermSelf) until the nomination deadline while the
// round is nominating, or HR (PermManage) at any time before the round
// closes. The nominations wait for the reviewee's manager (or HR) to
// approve them.
//
// Every rater is checked, and the error joins one error per bad rater
// (each wrapping its sentinel, "rater_ids[i] <id>: …"): the reviewee
// themself is ErrSelfNomination, someone who is not an active employee of
// the tenant ErrRaterDeparted, a rater who already has the round's
// Settings.MaxPerRater reviews (pending, open or submitted, self-reviews
// not counted) ErrRaterOverloaded, a rater already rating the reviewee
// ErrAlreadyAssigned. Nothing is written on error.
func (s *Service) Nominate(ctx context.Context, p NominateParams) ([]Nomination, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return nil, fmt.Errorf("multirater: nominate: %w", err)
	}
	manages, err := s.allowed(ctx, pr, PermManage)
	if err != nil {
		return nil, fmt.Errorf("multirater: nominate: %w", err)
	}
	if !manages && pr.Subject != p.RevieweeID {
		return nil, fmt.Errorf("multirater: nominate: %w", forbidden("%s may nominate only their own raters", pr.Subject))
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("multirater: nominate: %w", err)
	}
	var out []Nomination
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// Locked so that concurrent nominations respect the load limit.
		r, err := s.store.LockRound(ctx, pr.Tenant, p.RoundID, LockUpdate)
		if err != nil {
			return err
		}
		switch {
		case r.State == StateClosed:
			return fmt.Errorf("round %s is closed: %w", r.ID, ErrRoundState)
		case !manages && r.State != StateNominating:
			return fmt.Errorf("round %s is %s: %w", r.ID, r.State, ErrRoundState)
		}
		if !manages {
			day, err := s.today(ctx, pr.Tenant, s.now())
			if err != nil {
				return err
			}
			if day.After(r.NominationDue) {
				return fmt.Errorf("nominations closed on %s: %w", r.NominationDue, ErrDeadlinePassed)
			}
		}
		if _, err := s.store.Reviewee(ctx, pr.Tenant, r.ID, p.RevieweeID); err != nil {
			if isNotFound(err) {
				return fmt.Errorf("%s: %w", p.RevieweeID, ErrNotReviewee)
			}
			return err
		}
		emps, err := s.dir.EmployeesByID(ctx, pr.Tenant, p.RaterIDs)
		if err != nil {
			return err
		}
		byID := make(map[string]hr.Employee, len(emps))
		for _, e := range emps {
			byID[e.ID] = e
		}
		loads, err := s.store.RaterLoads(ctx, pr.Tenant, r.ID, p.RaterIDs)
		if err != nil {
			return err
		}
		existing, err := s.store.Assignments(ctx, pr.Tenant, AssignmentQuery{RoundID: r.ID, RevieweeID: p.RevieweeID})
		if err != nil {
			return err
		}
		assigned := map[string]bool{}
		for _, a := range existing {
			if a.Status != StatusRejected {
				assigned[a.RaterID] = true
			}
		}
		var errs []error
		now := s.now()
		as := make([]Assignment, 0, len(p.RaterIDs))
		recs := make([]audit.Record, 0, len(p.RaterIDs))
		for i, id := range p.RaterIDs {
			bad := func(e error) { errs = append(errs, fmt.Errorf("rater_ids[%d] %s: %w", i, id, e)) }
			e, ok := byID[id]
			switch {
			case id == p.RevieweeID:
				bad(ErrSelfNomination)
			case !ok || e.Status == hr.StatusDeparted:
				bad(ErrRaterDeparted)
			case assigned[id]:
				bad(ErrAlreadyAssigned)
			case loads[id] >= r.Settings.MaxPerRater:
				bad(fmt.Errorf("%d of %d: %w", loads[id], r.Settings.MaxPerRater, ErrRaterOverloaded))
			default:
				a := Assignment{ID: ballast.NewID(), RoundID: r.ID, RevieweeID: p.RevieweeID, RaterID: id, Group: p.Group,
					Status: StatusPending, NominatedBy: pr.Subject, CreatedAt: now, UpdatedAt: now, Version: 1}
				as = append(as, a)
				recs = append(recs, audit.Record{Action: ActionNominate, TargetType: TargetAssignment, TargetID: a.ID,
					Changes: audit.Diff(nil, struct {
						Round, Reviewee, Rater string
						Group                  Group
					}{r.ID, p.RevieweeID, id, p.Group})})
				out = append(out, nominationOf(a))
			}
		}
		if len(errs) > 0 {
			return errors.Join(errs...)
		}
		if err := s.store.InsertAssignments(ctx, pr.Tenant, as); err != nil {
			if errors.Is(err, ballast.ErrConflict) {
				return fmt.Errorf("%w: %w", ErrAlreadyAssigned, err)
			}
			return err
		}
		if _, err := s.audit.AppendMany(ctx, recs); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("multirater: nominate: %w", err)
	}
	return out, nil
}

// approver reports whether p may decide nominations of the reviewee: HR,
// or the reviewee's resolved manager holding PermDepartment.
func (s *Service) approver(ctx context.Context, p ballast.Principal, rv Reviewee) (bool, error) {
	ok, err := s.allowed(ctx, p, PermManage)
	if err != nil || ok {
		return ok, err
	}
	if rv.ManagerID == "" || rv.ManagerID != p.Subject {
		return false, nil
	}
	return s.auth.Allowed(ctx, PermDepartment)
}

// DecideNomination approves or rejects a pending nomination: the
// reviewee's manager (PermDepartment) or HR (PermManage), before the
// round closes. On approval the rater's load is checked again
// (ErrRaterOverloaded). A rejection needs a reason. version is the
// nomination's Version; a decided one is ErrAssignmentState.
func (s *Service) DecideNomination(ctx context.Context, id string, approve bool, reason string, version int64) (Nomination, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return Nomination{}, fmt.Errorf("multirater: decide nomination: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(id) {
		v.Add("id", "is not a valid id")
	}
	checkText(&v, "reason", reason, maxReason, !approve)
	if err := v.Err(); err != nil {
		return Nomination{}, fmt.Errorf("multirater: decide nomination: %w", err)
	}
	var out Nomination
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		a, err := s.store.Assignment(ctx, pr.Tenant, id)
		if err != nil {
			return err
		}
		rv, err := s.store.Reviewee(ctx, pr.Tenant, a.RoundID, a.RevieweeID)
		if err != nil {
			return err
		}
		ok, err := s.approver(ctx, pr, rv)
		if err != nil {
			return err
		}
		if !ok {
			return forbidden("%s does not decide the nominations of %s", pr.Subject, a.RevieweeID)
		}
		if a.Version != version {
			return staleVersion("nomination "+id, version, a.Version)
		}
		if a.Status != StatusPending {
			return fmt.Errorf("nomination %s is %s: %w", id, nominationOf(a).Status, ErrAssignmentState)
		}
		r, err := s.store.LockRound(ctx, pr.Tenant, a.RoundID, LockUpdate)
		if err != nil {
			return err
		}
		if r.State == StateClosed {
			return fmt.Errorf("round %s is closed: %w", r.ID, ErrRoundState)
		}
		action := ActionReject
		if approve {
			action = ActionApprove
			loads, err := s.store.RaterLoads(ctx, pr.Tenant, r.ID, []string{a.RaterID})
			if err != nil {
				return err
			}
			// The pending nomination itself is part of the load.
			if loads[a.RaterID] > r.Settings.MaxPerRater {
				return fmt.Errorf("%s has %d of %d: %w", a.RaterID, loads[a.RaterID], r.Settings.MaxPerRater, ErrRaterOverloaded)
			}
		}
		before := nominationOf(a)
		now := s.now()
		a.Status = StatusRejected
		if approve {
			a.Status = StatusOpen
		}
		a.DecidedBy, a.DecidedAt, a.Reason, a.UpdatedAt, a.Version = pr.Subject, now, reason, now, a.Version+1
		if err := s.store.UpdateAssignment(ctx, pr.Tenant, a, version); err != nil {
			return err
		}
		out = nominationOf(a)
		b, af := before, out
		b.Version, af.Version = 0, 0
		return s.record(ctx, action, TargetAssignment, a.ID, reason, b, af)
	})
	if err != nil {
		return Nomination{}, fmt.Errorf("multirater: decide nomination: %w", err)
	}
	return out, nil
}

// Nominations lists the raters of a reviewee in a round (every group,
// with approval status but never whether anyone answered): for the
// reviewee (PermSelf), their manager (PermDepartment) and HR
// (PermManage).
func (s *Service) Nominations(ctx context.Context, roundID, revieweeID string) ([]Nomination, error) {
	pr, err := s.principal(ctx, PermSelf)
	if err != nil {
		return nil, fmt.Errorf("multirater: nominations: %w", err)
	}
	var v ballast.ValidationError
	if !ballast.ValidID(roundID) {
		v.Add("round_id", "is not a valid id")
	}
	if !ballast.ValidID(revieweeID) {
		v.Add("reviewee_id", "is not a valid id")
	}
	if err := v.Err(); err != nil {
		return nil, fmt.Errorf("multirater: nominations: %w", err)
	}
	rv, err := s.store.Reviewee(ctx, pr.Tenant, roundID, revieweeID)
	if err != nil {
		return nil, fmt.Errorf("multirater: nominations: %w", err)
	}
	if pr.Subject != revieweeID {
		ok, err := s.approver(ctx, pr, rv)
		if err != nil {
			return nil, fmt.Errorf("multirater: nominations: %w", err)
		}
		if !ok {
			return nil, fmt.Errorf("multirater: nominations: %w", forbidden("%s may not see the raters of %s", pr.Subject, revieweeID))
		}
	}
	as, err := s.store.Assignments(ctx, pr.Tenant, AssignmentQuery{RoundID: roundID, RevieweeID: revieweeID})
	if err != nil {
		return nil, fmt.Errorf("multirater: nominations: %w", err)
	}
	out := make([]Nomination, 0, len(as))
	for _, a := range as {
		if a.Group != GroupSelf {
			out = append(out, nominationOf(a))
		}
	}
	return out, nil
}

// PendingNominations lists the nominations of a round waiting for the
// principal's decision: those of the reviewees they manage
// (PermDepartment), or every one for HR (PermManage). At most limit
// (1…1000, 0 = 100) after the nomination ID after.
func (s *Service) PendingNominations(ctx context.Context, roundID, after string, limit int) ([]Nomination, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("multirater: pending nominations: %w", err)
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
		return nil, fmt.Errorf("multirater: pending nominations: %w", err)
	}
	if limit == 0 {
		limit = 100
	}
	q := AssignmentQuery{RoundID: roundID, Status: StatusPending, After: after, Limit: limit}
	manages, err := s.allowed(ctx, pr, PermManage)
	if err != nil {
		return nil, fmt.Errorf("multirater: pending nominations: %w", err)
	}
	if !manages {
		if err := s.auth.Authorize(ctx, PermDepartment); err != nil {
			return nil, fmt.Errorf("multirater: pending nominations: %w", err)
		}
		q.ManagerID = pr.Subject
	}
	as, err := s.store.Assignments(ctx, pr.Tenant, q)
	if err != nil {
		return nil, fmt.Errorf("multirater: pending nominations: %w", err)
	}
	out := make([]Nomination, len(as))
	for i, a := range as {
		out[i] = nominationOf(a)
	}
	return out, nil
}
