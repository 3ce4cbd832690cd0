package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/customers"
)

// snapshotRow is one snapshot of the list, with its scope named.
type snapshotRow struct {
	customers.Snapshot
	ScopeName string
	TakenBy   string
}

// handleSnapshots lists the snapshots the principal may see, with forms to
// take one and to compare two (or one with the current records).
func (s *server) handleSnapshots(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	all := s.allowed(ctx, permCustomersReadAll)
	f := customers.SnapshotFilter{Cursor: r.URL.Query().Get("cursor"), Limit: 50}
	pg, err := s.customers.Snapshots(ctx, f)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	rows := make([]snapshotRow, 0, len(pg.Snapshots))
	for _, sn := range pg.Snapshots {
		rows = append(rows, snapshotRow{Snapshot: sn, ScopeName: s.scopeName(ctx, base.Lang, names, sn), TakenBy: s.actorName(ctx, base.Lang, names, sn.TakenBy)})
	}
	var next string
	if pg.Next != "" {
		next = "/customers/snapshots?" + url.Values{"cursor": {pg.Next}}.Encode()
	}
	if r.URL.Query().Get("taken") == "1" {
		base.Flash = s.cat.T(base.Lang, "snap.taken")
	}
	var owners []option
	if all {
		owners = s.ownerOptions(ctx, base.Lang, "", "snap.scope.tenant")
	}
	base.Title = s.cat.T(base.Lang, "snap.title")
	base.Section = "customers"
	base.Data = struct {
		Rows   []snapshotRow
		Owners []option
		Next   string
	}{rows, owners, next}
	s.render(w, r, http.StatusOK, "snapshots", base)
}

// scopeName says whose customers a snapshot holds.
func (s *server) scopeName(ctx context.Context, lang string, names map[string]string, sn customers.Snapshot) string {
	if sn.OwnerID == "" {
		return s.cat.T(lang, "snap.scope.tenant")
	}
	return s.name(ctx, names, sn.OwnerID)
}

// actorName names a subject: an employee's name, or "system".
func (s *server) actorName(ctx context.Context, lang string, names map[string]string, subject string) string {
	n := s.name(ctx, names, subject)
	if n == subject {
		return s.cat.T(lang, "audit.system")
	}
	return n
}

// handleSnapshotTake takes a snapshot: of the tenant or one owner for HR,
// of one's own customers for everyone else.
func (s *server) handleSnapshotTake(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	scope := customers.SnapshotScope{Owner: r.PostFormValue("owner")}
	if !s.allowed(r.Context(), permCustomersReadAll) {
		scope.Owner = p.Subject
	}
	if _, err := s.customers.TakeSnapshot(r.Context(), scope, strings.TrimSpace(r.PostFormValue("reason"))); err != nil {
		s.fail(w, r, base, err)
		return
	}
	http.Redirect(w, r, "/customers/snapshots?taken=1", http.StatusSeeOther)
}

// diffRow is one changed customer of a diff.
type diffRow struct {
	customers.CustomerChange
	Owner string
	Rows  []changeRow
}

// refRow is one added, archived or removed customer of a diff.
type refRow struct {
	customers.CustomerRef
	Owner string
}

// handleSnapshotDiff compares snapshot "from" with snapshot "to", or with
// the current records when "to" is empty.
func (s *server) handleSnapshotDiff(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	if from == "" {
		s.fail(w, r, base, ballast.ErrInvalid)
		return
	}
	fromSnap, err := s.customers.Snapshot(ctx, from)
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	var toSnap *customers.Snapshot
	var d customers.SnapshotDiff
	if to == "" {
		d, err = s.customers.DiffWithCurrent(ctx, from)
	} else {
		var ts customers.Snapshot
		if ts, err = s.customers.Snapshot(ctx, to); err == nil {
			toSnap = &ts
			d, err = s.customers.Diff(ctx, from, to)
		}
	}
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	refs := func(in []customers.CustomerRef) []refRow {
		out := make([]refRow, 0, len(in))
		for _, c := range in {
			out = append(out, refRow{CustomerRef: c, Owner: s.name(ctx, names, c.OwnerID)})
		}
		return out
	}
	changed := make([]diffRow, 0, len(d.Changed))
	for _, c := range d.Changed {
		changed = append(changed, diffRow{CustomerChange: c, Owner: s.name(ctx, names, c.OwnerID), Rows: s.changeRows(ctx, base.Lang, names, c.Changes)})
	}
	var toRow *snapshotRow
	if toSnap != nil {
		toRow = &snapshotRow{Snapshot: *toSnap, ScopeName: s.scopeName(ctx, base.Lang, names, *toSnap), TakenBy: s.actorName(ctx, base.Lang, names, toSnap.TakenBy)}
	}
	if r.URL.Query().Get("restored") != "" {
		base.Flash = s.cat.T(base.Lang, "snap.restored", r.URL.Query().Get("restored"))
	}
	base.Title = s.cat.T(base.Lang, "snap.diff.title")
	base.Section = "customers"
	base.Data = struct {
		From       snapshotRow
		To         *snapshotRow
		Added      []refRow
		Archived   []refRow
		Removed    []refRow
		Changed    []diffRow
		Empty      bool
		CanRestore bool
	}{
		From:  snapshotRow{Snapshot: fromSnap, ScopeName: s.scopeName(ctx, base.Lang, names, fromSnap), TakenBy: s.actorName(ctx, base.Lang, names, fromSnap.TakenBy)},
		To:    toRow,
		Added: refs(d.Added), Archived: refs(d.Archived), Removed: refs(d.Removed), Changed: changed,
		Empty:      d.Empty(),
		CanRestore: to == "" && s.allowed(ctx, permCustomersReadAll) && s.allowed(ctx, permCustomersWrite),
	}
	s.render(w, r, http.StatusOK, "snapshot_diff", base)
}

// handleSnapshotRestore brings the chosen customers (all of the snapshot's
// when none is ticked) back to the snapshot's state. Custodians only; the
// service checks.
func (s *server) handleSnapshotRestore(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	rep, err := s.customers.Restore(r.Context(), id, r.PostForm["customer"], strings.TrimSpace(r.PostFormValue("reason")))
	if err != nil {
		if errors.Is(err, ballast.ErrInvalid) {
			base.Error = s.cat.T(base.Lang, "form.invalid")
		}
		s.fail(w, r, base, err)
		return
	}
	n := len(rep.Restored) + len(rep.Recreated)
	http.Redirect(w, r, "/customers/snapshots/diff?"+url.Values{"from": {id}, "restored": {strconv.Itoa(n)}}.Encode(), http.StatusSeeOther)
}
