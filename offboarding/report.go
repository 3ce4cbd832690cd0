package offboarding

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// Report is the handover report of a case: data first, rendered by the
// host as JSON, HTML or CSV.
type Report struct {
	Case Case `json:"case"`
	// Customers lists every customer of the handover with its successor
	// and signature; Signatures every signature of the case.
	Customers  []HandoverItem `json:"customers"`
	Signatures []Signature    `json:"signatures"`
	// Projects are the unfinished projects of the last work-report round;
	// WorkRounds every round with its decision.
	Projects   []Project   `json:"projects"`
	WorkRounds []WorkRound `json:"work_rounds"`
	// Items are the items to return with their outcome.
	Items []ItemReturn `json:"items"`
	// Revocations are the revocation stages applied, with time and operator.
	Revocations []access.StageEffect `json:"revocations"`
	// Steps are the steps with their planned and actual dates.
	Steps []StepDates `json:"steps"`
	// Integrity compares the customer snapshot taken at resignation with
	// the records now.
	Integrity Integrity `json:"integrity"`
	// GeneratedAt is when the report was made.
	GeneratedAt time.Time `json:"generated_at"`
}

// StepDates is a step's planned deadline against when it closed.
type StepDates struct {
	Key    string     `json:"key"`
	Title  string     `json:"title"`
	Status StepStatus `json:"status"`
	DueOn  hr.Date    `json:"due_on"`
	DoneOn hr.Date    `json:"done_on"`
	DoneBy string     `json:"done_by,omitempty"`
	// Late reports whether it closed after its deadline (or is open past it).
	Late bool   `json:"late"`
	Note string `json:"note,omitempty"`
}

// Integrity is the check of the customer records over the notice period:
// what changed between the snapshot at resignation and the records now,
// other than the ownership moves of the handover, each with who changed it
// and when (from the audit history).
type Integrity struct {
	SnapshotID string `json:"snapshot_id"`
	// Clean reports that nothing but handover transfers changed.
	Clean    bool                    `json:"clean"`
	Archived []customers.CustomerRef `json:"archived"`
	Removed  []customers.CustomerRef `json:"removed"`
	Changed  []IntegrityChange       `json:"changed"`
}

// IntegrityChange is one customer altered during the notice period.
type IntegrityChange struct {
	customers.CustomerRef
	// Changes are the altered fields (contacts, values, follow-ups…).
	Changes []audit.Change `json:"changes"`
	// Edits are the audit entries that altered it since the snapshot: who,
	// when, what.
	Edits []audit.Entry `json:"edits"`
}

// Report returns the handover report of a case: to HR (PermManage) and to
// the case's manager. The integrity check compares the customer snapshot
// taken at resignation with the current records: customers archived or
// missing, and every field altered other than the owner (ownership moves
// are the handover itself), each with the audit entries that altered it
// between the opening of the case and its close (or now).
func (s *Service) Report(ctx context.Context, caseID string) (Report, error) {
	pr, err := s.principal(ctx, "")
	if err != nil {
		return Report{}, fmt.Errorf("offboarding: report: %w", err)
	}
	var r Report
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := ballast.CheckID("case_id", caseID); err != nil {
			return err
		}
		c, err := s.store.Case(ctx, pr.Tenant, caseID)
		if err != nil {
			return err
		}
		manages, err := s.manages(ctx, pr)
		if err != nil {
			return err
		}
		if !manages && pr.Subject != c.ManagerID {
			return fmt.Errorf("case %s: %w", caseID, ballast.ErrNotFound)
		}
		r = Report{Case: c, GeneratedAt: s.now(), Projects: []Project{}}
		if r.Customers, err = s.store.HandoverItems(ctx, pr.Tenant, caseID); err != nil {
			return err
		}
		if r.Signatures, err = s.store.Signatures(ctx, pr.Tenant, caseID); err != nil {
			return err
		}
		if r.WorkRounds, err = s.store.WorkRounds(ctx, pr.Tenant, caseID); err != nil {
			return err
		}
		if n := len(r.WorkRounds); n > 0 {
			r.Projects = r.WorkRounds[n-1].Report.Projects
		}
		if r.Items, err = s.store.ItemReturns(ctx, pr.Tenant, caseID); err != nil {
			return err
		}
		sys := as(ctx, pr)
		if r.Revocations, err = s.access.AppliedStages(sys, caseID); err != nil {
			return err
		}
		steps, err := s.store.Steps(ctx, pr.Tenant, caseID)
		if err != nil {
			return err
		}
		loc, err := s.location(ctx, pr)
		if err != nil {
			return err
		}
		day := today(r.GeneratedAt, loc)
		for _, st := range steps {
			sd := StepDates{Key: st.Key, Title: st.Title, Status: st.Status, DueOn: st.DueOn, DoneBy: st.DoneBy, Note: st.Note}
			if st.Closed() {
				sd.DoneOn = today(st.DoneAt, loc)
				sd.Late = sd.DoneOn.After(st.DueOn)
			} else {
				sd.Late = day.After(st.DueOn)
			}
			r.Steps = append(r.Steps, sd)
		}
		r.Integrity, err = s.integrity(sys, c)
		return err
	})
	if err != nil {
		return Report{}, fmt.Errorf("offboarding: report of %s: %w", caseID, err)
	}
	return r, nil
}

// integrity runs the integrity check of a case's customer records.
func (s *Service) integrity(sys context.Context, c Case) (Integrity, error) {
	in := Integrity{SnapshotID: c.SnapshotID, Archived: []customers.CustomerRef{}, Removed: []customers.CustomerRef{}, Changed: []IntegrityChange{}}
	if c.SnapshotID == "" {
		in.Clean = true
		return in, nil
	}
	d, err := s.customers.DiffWithCurrent(sys, c.SnapshotID)
	if err != nil {
		return in, err
	}
	in.Archived, in.Removed = d.Archived, d.Removed
	until := c.ClosedAt
	for _, ch := range d.Changed {
		var kept []audit.Change
		for _, x := range ch.Changes {
			if x.Path != "OwnerID" {
				kept = append(kept, x)
			}
		}
		if len(kept) == 0 {
			continue
		}
		hist, err := s.customers.History(sys, ch.ID)
		if err != nil {
			return in, err
		}
		ic := IntegrityChange{CustomerRef: ch.CustomerRef, Changes: kept, Edits: []audit.Entry{}}
		for _, e := range hist {
			if e.Action == customers.ActionTransfer || e.Action == customers.ActionCreate || e.At.Before(c.OpenedAt) || (!until.IsZero() && e.At.After(until)) {
				continue
			}
			ic.Edits = append(ic.Edits, e)
		}
		slices.SortFunc(ic.Edits, func(a, b audit.Entry) int { return a.At.Compare(b.At) })
		in.Changed = append(in.Changed, ic)
	}
	in.Clean = len(in.Archived) == 0 && len(in.Removed) == 0 && len(in.Changed) == 0
	return in, nil
}
