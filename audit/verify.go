package audit

import (
	"context"
	"errors"
	"fmt"
)

// ErrTampered is matched (errors.Is) by every *ChainError: the chain no
// longer proves what was recorded.
var ErrTampered = errors.New("audit chain tampered")

// Problem says what is wrong with a chain at one position.
type Problem string

// The problems Verify reports.
const (
	// ProblemAltered: the entry's content no longer matches its hash.
	ProblemAltered Problem = "altered"
	// ProblemMissing: no entry holds this position: it was deleted (or the
	// chain was cut short of its head).
	ProblemMissing Problem = "missing"
	// ProblemReordered: the entry does not follow the one before it (its
	// PrevHash names another entry): entries were moved or replaced.
	ProblemReordered Problem = "reordered"
	// ProblemBeyondHead: the entry lies past the chain's recorded head: it
	// was written around the log, or the head was moved back.
	ProblemBeyondHead Problem = "beyond the head"
)

// ChainError reports the first position at which a chain fails to verify.
// It matches ErrTampered.
type ChainError struct {
	Tenant  string
	Seq     int64   // the position of the first bad link
	EntryID string  // the entry found there, "" when it is missing
	Problem Problem // what is wrong
}

// Error describes the problem.
func (e *ChainError) Error() string {
	if e.EntryID == "" {
		return fmt.Sprintf("audit chain of tenant %s tampered: entry %d %s", e.Tenant, e.Seq, e.Problem)
	}
	return fmt.Sprintf("audit chain of tenant %s tampered: entry %d (%s) %s", e.Tenant, e.Seq, e.EntryID, e.Problem)
}

// Is reports whether target is ErrTampered.
func (e *ChainError) Is(target error) bool { return target == ErrTampered }

// VerifyReport is what a successful Verify saw.
type VerifyReport struct {
	Tenant  string `json:"tenant"`
	Entries int64  `json:"entries"` // linked entries checked
	Head    Head   `json:"head"`    // the last one's position and hash
}

// verifyPage is how many entries Verify reads per query: memory stays
// bounded however long the chain.
const verifyPage = 2000

// Verify links tenant's pending entries (Sequence) and then walks its whole
// chain in order, recomputing every hash and checking every link against
// its predecessor and the stored head. It returns a report, or a
// *ChainError (matching ErrTampered) naming the first entry that was
// altered, deleted or reordered.
//
// The principal in ctx must belong to tenant and hold PermissionRead (see
// Config.Authorizer).
func (l *Log) Verify(ctx context.Context, tenant string) (VerifyReport, error) {
	if err := l.authorize(ctx, tenant); err != nil {
		return VerifyReport{}, fmt.Errorf("audit: verify: %w", err)
	}
	if _, err := l.Sequence(ctx, tenant); err != nil {
		return VerifyReport{}, fmt.Errorf("audit: verify: %w", err)
	}
	head, err := l.store.Head(ctx, tenant)
	if err != nil {
		return VerifyReport{}, fmt.Errorf("audit: verify %s: %w", tenant, err)
	}
	w := walker{tenant: tenant}
	for {
		// Read the chain in windows of Seq (an exact, bounded range keeps the
		// query an ordered index scan however stale the planner's statistics).
		page, err := l.store.Entries(ctx, tenant, EntriesParams{
			AfterSeq: w.prev.Seq, BeforeSeq: w.prev.Seq + verifyPage + 1, Ascending: true, Limit: verifyPage,
		})
		if err != nil {
			return VerifyReport{}, fmt.Errorf("audit: verify %s: %w", tenant, err)
		}
		for _, e := range page {
			if err := w.next(e); err != nil {
				return VerifyReport{}, err
			}
		}
		if len(page) > 0 {
			continue
		}
		// Nothing in the window: the chain ends here, or resumes after a gap.
		next, err := l.store.Entries(ctx, tenant, EntriesParams{AfterSeq: w.prev.Seq, Ascending: true, Limit: 1})
		if err != nil {
			return VerifyReport{}, fmt.Errorf("audit: verify %s: %w", tenant, err)
		}
		if len(next) == 0 {
			break
		}
		if w.prev.Seq < head.Seq {
			return VerifyReport{}, &ChainError{Tenant: tenant, Seq: w.prev.Seq + 1, Problem: ProblemMissing}
		}
		if head, err = l.store.Head(ctx, tenant); err != nil {
			return VerifyReport{}, fmt.Errorf("audit: verify %s: %w", tenant, err)
		}
		if w.prev.Seq < head.Seq {
			return VerifyReport{}, &ChainError{Tenant: tenant, Seq: w.prev.Seq + 1, Problem: ProblemMissing}
		}
		return VerifyReport{}, &ChainError{Tenant: tenant, Seq: next[0].Seq, EntryID: next[0].ID, Problem: ProblemBeyondHead}
	}
	if w.prev.Seq > head.Seq {
		// The walk ran past the head read before it: entries linked since
		// (read the head again), or written by someone who bypassed it.
		if head, err = l.store.Head(ctx, tenant); err != nil {
			return VerifyReport{}, fmt.Errorf("audit: verify %s: %w", tenant, err)
		}
		if w.prev.Seq > head.Seq {
			beyond, err := l.store.Entries(ctx, tenant, EntriesParams{AfterSeq: head.Seq, BeforeSeq: head.Seq + 2, Ascending: true, Limit: 1})
			if err != nil || len(beyond) == 0 {
				return VerifyReport{}, fmt.Errorf("audit: verify %s: entries beyond the head: %w", tenant, errors.Join(err, ErrTampered))
			}
			return VerifyReport{}, &ChainError{Tenant: tenant, Seq: beyond[0].Seq, EntryID: beyond[0].ID, Problem: ProblemBeyondHead}
		}
	}
	if err := w.end(head); err != nil {
		return VerifyReport{}, err
	}
	return VerifyReport{Tenant: tenant, Entries: w.prev.Seq, Head: w.prev}, nil
}

// walker checks a chain entry by entry, in Seq order.
type walker struct {
	tenant string
	prev   Head
}

func (w *walker) next(e Entry) error {
	want := w.prev.Seq + 1
	switch {
	case e.Seq > want:
		return &ChainError{Tenant: w.tenant, Seq: want, Problem: ProblemMissing}
	case e.Seq < want || e.PrevHash != w.prev.Hash:
		return &ChainError{Tenant: w.tenant, Seq: want, EntryID: e.ID, Problem: ProblemReordered}
	case e.Tenant != w.tenant || HashEntry(e) != e.Hash:
		return &ChainError{Tenant: w.tenant, Seq: want, EntryID: e.ID, Problem: ProblemAltered}
	}
	w.prev = Head{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// end checks that the walk reached the head.
func (w *walker) end(head Head) error {
	switch {
	case w.prev.Seq < head.Seq:
		return &ChainError{Tenant: w.tenant, Seq: w.prev.Seq + 1, Problem: ProblemMissing}
	case w.prev.Hash != head.Hash:
		return &ChainError{Tenant: w.tenant, Seq: head.Seq, Problem: ProblemAltered}
	}
	return nil
}
