package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ballast-hr/ballast"
)

// BundleHead is the last line of an evidence bundle: the tenant's chain
// head when the bundle was written, and how many entries it holds.
type BundleHead struct {
	Tenant     string    `json:"tenant"`
	Seq        int64     `json:"seq"`
	Hash       string    `json:"hash"`
	Entries    int64     `json:"entries"`
	ExportedAt time.Time `json:"exported_at"`
	// Complete is set when the bundle holds the whole chain up to Seq (it
	// was exported with an empty Filter); VerifyBundle then also requires
	// entries 1…Seq without a gap.
	Complete bool `json:"complete"`
}

// bundleLine is one line of a bundle: an entry, or the closing head.
type bundleLine struct {
	Entry *Entry      `json:"entry,omitempty"`
	Head  *BundleHead `json:"head,omitempty"`
}

// Export writes an evidence bundle of tenant's entries matching f to w:
// JSON lines {"entry": {...}}, oldest first, then one line {"head": {...}}
// with the chain head at export time. f.Limit, when set, caps the number of
// entries (otherwise every match is written); f.Before bounds them. Entries
// are read page by page, so memory stays bounded.
//
// Anyone can check a bundle offline with VerifyBundle; comparing its head
// hash with one recorded elsewhere (a previous bundle, a ticket, a notary)
// proves the chain up to there was not rewritten since. Export needs what
// Query needs.
func (l *Log) Export(ctx context.Context, tenant string, f Filter, w io.Writer) error {
	if err := l.authorize(ctx, tenant); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	p, err := f.params()
	if err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	if _, err := l.Sequence(ctx, tenant); err != nil {
		return fmt.Errorf("audit: export: %w", err)
	}
	head, err := l.store.Head(ctx, tenant)
	if err != nil {
		return fmt.Errorf("audit: export %s: %w", tenant, err)
	}
	remaining := int64(f.Limit)
	if f.Limit == 0 {
		remaining = head.Seq
	}
	p.Ascending = true
	p.BeforeSeq = head.Seq + 1
	if f.Before > 0 {
		p.BeforeSeq = min(f.Before, head.Seq+1)
	}
	enc := json.NewEncoder(w)
	var n int64
	for remaining > 0 {
		p.Limit = int(min(remaining, verifyPage))
		page, err := l.store.Entries(ctx, tenant, p)
		if err != nil {
			return fmt.Errorf("audit: export %s: %w", tenant, err)
		}
		for i := range page {
			if err := enc.Encode(bundleLine{Entry: &page[i]}); err != nil {
				return fmt.Errorf("audit: export %s: write: %w", tenant, err)
			}
		}
		n += int64(len(page))
		remaining -= int64(len(page))
		if len(page) < p.Limit {
			break
		}
		p.AfterSeq = page[len(page)-1].Seq
	}
	h := BundleHead{Tenant: tenant, Seq: head.Seq, Hash: head.Hash, Entries: n, ExportedAt: l.clock.Now().UTC(), Complete: f == Filter{}}
	if err := enc.Encode(bundleLine{Head: &h}); err != nil {
		return fmt.Errorf("audit: export %s: write: %w", tenant, err)
	}
	return nil
}

// VerifyBundle checks an evidence bundle written by Export, offline: every
// entry's hash, the link between consecutive entries, the order, the
// closing head (present, last, consistent with the entries, and counting
// them; for a complete bundle, entries 1…head without a gap). A filtered
// bundle proves each entry it holds, not that it holds every match. It returns the head, a *ChainError (matching ErrTampered) for the
// first entry that fails, or an error matching ballast.ErrInvalid when the
// input is not a bundle.
func VerifyBundle(r io.Reader) (BundleHead, error) {
	dec := json.NewDecoder(r)
	var (
		prev    *Entry
		tenant  string
		entries int64
	)
	for line := 1; ; line++ {
		var l bundleLine
		if err := dec.Decode(&l); err != nil {
			if errors.Is(err, io.EOF) {
				return BundleHead{}, fmt.Errorf("audit: bundle: %w", ballast.Invalid("head", "is missing (bundle cut short)"))
			}
			return BundleHead{}, fmt.Errorf("audit: bundle line %d: %w", line, ballast.Invalid("line", err.Error()))
		}
		switch {
		case l.Entry != nil && l.Head == nil:
			e := *l.Entry
			if tenant == "" {
				tenant = e.Tenant
			}
			if e.Tenant != tenant || e.Seq <= 0 || HashEntry(e) != e.Hash {
				return BundleHead{}, &ChainError{Tenant: tenant, Seq: e.Seq, EntryID: e.ID, Problem: ProblemAltered}
			}
			if prev != nil && (e.Seq <= prev.Seq || (e.Seq == prev.Seq+1 && e.PrevHash != prev.Hash)) {
				return BundleHead{}, &ChainError{Tenant: tenant, Seq: e.Seq, EntryID: e.ID, Problem: ProblemReordered}
			}
			if e.Seq == 1 && e.PrevHash != "" {
				return BundleHead{}, &ChainError{Tenant: tenant, Seq: e.Seq, EntryID: e.ID, Problem: ProblemReordered}
			}
			prev = &e
			entries++
		case l.Head != nil && l.Entry == nil:
			h := *l.Head
			if tenant == "" {
				tenant = h.Tenant
			}
			if h.Tenant != tenant || h.Entries != entries || (h.Complete && entries != h.Seq) {
				return BundleHead{}, &ChainError{Tenant: tenant, Seq: h.Seq, Problem: ProblemMissing}
			}
			if prev != nil && (prev.Seq > h.Seq || (prev.Seq == h.Seq && prev.Hash != h.Hash)) {
				return BundleHead{}, &ChainError{Tenant: tenant, Seq: prev.Seq, EntryID: prev.ID, Problem: ProblemAltered}
			}
			var extra json.RawMessage
			if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
				return BundleHead{}, fmt.Errorf("audit: bundle line %d: %w", line+1, ballast.Invalid("line", "follows the head"))
			}
			return h, nil
		default:
			return BundleHead{}, fmt.Errorf("audit: bundle line %d: %w", line, ballast.Invalid("line", "holds neither an entry nor a head"))
		}
	}
}
