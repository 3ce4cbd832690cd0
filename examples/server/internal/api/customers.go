package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr/customers"
)

// The request bodies of the customer routes.
type (
	// customerUpdate is customers.Params plus the version read (the
	// alternative to If-Match).
	customerUpdate struct {
		customers.Params
		Version int64 `json:"version,omitempty"`
	}
	// customerTransfer moves one customer to another owner.
	customerTransfer struct {
		ToOwner string `json:"to_owner"`
		Reason  string `json:"reason,omitempty"`
		Version int64  `json:"version,omitempty"`
	}
	// reasonVersion is the body of archive and unarchive: why, and the
	// version read.
	reasonVersion struct {
		Reason  string `json:"reason,omitempty"`
		Version int64  `json:"version,omitempty"`
	}
	// snapshotRequest asks for a snapshot of one owner's customers, or of
	// the tenant's when Owner is empty.
	snapshotRequest struct {
		Owner  string `json:"owner,omitempty"`
		Reason string `json:"reason,omitempty"`
	}
	// restoreRequest names the customers to bring back to a snapshot's
	// state (all of the snapshot when empty).
	restoreRequest struct {
		CustomerIDs []string `json:"customer_ids,omitempty"`
		Reason      string   `json:"reason,omitempty"`
	}
)

var (
	customerQ = []param{
		{"industry", "string", "only customers of this industry"},
		{"region", "string", "only customers of this region"},
		{"tier", "string", "key or standard"},
		{"min_value_cents", "integer", "annual value at least this (hundredths of the currency)"},
		{"max_value_cents", "integer", "annual value at most this (hundredths of the currency)"},
		{"owner", "string", "only this owner's customers (within what the caller sees)"},
		{"status", "string", "active (default), archived or all"},
		{"q", "string", "name, contact names, needs or follow-up notes contain this text (any script)"},
		{"cursor", "string", "next of the previous page"},
		{"limit", "integer", "page size, default 50, at most 500"},
	}
	snapshotQ = []param{
		{"owner", "string", "only snapshots of this owner's customers"},
		{"tenant", "boolean", "only tenant-wide snapshots"},
		{"since", "string", "RFC 3339 instant: snapshots taken at or after it"},
		{"until", "string", "RFC 3339 instant: snapshots taken before it"},
		{"cursor", "string", "next of the previous page"},
		{"limit", "integer", "page size, default 50, at most 500"},
	}
)

// customerRoutes are the customer-record operations.
func (s *server) customerRoutes() []route {
	const tag = "customers"
	return []route{
		{method: "GET", path: "/api/customers", tag: tag, summary: "One page of the customers the caller may see: own (customers:read), the departments one heads (customers:read:department) or all (customers:read:all)",
			query: customerQ, out: customers.Page{}, errors: errsRead, handle: s.listCustomers},
		{method: "POST", path: "/api/customers", tag: tag, summary: "Create a customer owned by the caller, or by another employee with customers:transfer (customers:write)",
			in: customers.Params{}, out: customers.Customer{}, status: http.StatusCreated, errors: errsWrite, handle: s.createCustomer},
		{method: "GET", path: "/api/customers/{id}", tag: tag, summary: "One customer the caller may see",
			out: customers.Customer{}, errors: errsRead, handle: s.customer},
		{method: "PUT", path: "/api/customers/{id}", tag: tag, summary: "Replace a customer's fields (its owner, or a custodian); send the version read. Owners change only by transfer",
			ifMatch: true, in: customerUpdate{}, out: customers.Customer{}, errors: errsWrite, handle: s.updateCustomer},
		{method: "POST", path: "/api/customers/{id}/transfer", tag: tag, summary: "Move a customer to another active owner (customers:transfer); audited with the reason",
			ifMatch: true, in: customerTransfer{}, out: customers.Customer{}, errors: errsWrite, handle: s.transferCustomer},
		{method: "POST", path: "/api/customers/{id}/archive", tag: tag, summary: "Archive a customer (the soft delete; custodians only)",
			ifMatch: true, in: reasonVersion{}, out: customers.Customer{}, errors: errsWrite, handle: s.archiveCustomer},
		{method: "POST", path: "/api/customers/{id}/unarchive", tag: tag, summary: "Bring an archived customer back (custodians only)",
			ifMatch: true, in: reasonVersion{}, out: customers.Customer{}, errors: errsWrite, handle: s.unarchiveCustomer},
		{method: "GET", path: "/api/customers/{id}/history", tag: tag, summary: "Who created, changed, transferred or archived a customer, when, and every field altered (newest first)",
			out: []audit.Entry{}, errors: errsRead, handle: s.customerHistory},
		{method: "POST", path: "/api/customer-transfers", tag: tag, summary: "Move many of one owner's customers at once, all or nothing (customers:transfer)",
			in: customers.TransferManyParams{}, out: customers.TransferReport{}, errors: errsWrite, handle: s.transferCustomers},
		{method: "GET", path: "/api/export/customers", tag: "csv", summary: "Export the selected customers as CSV (customers:export); the export itself is an audit entry",
			query: customerQ[:8], outMedia: mediaCSV, errors: errsRead, handle: s.exportCustomers},

		{method: "POST", path: "/api/customer-snapshots", tag: tag, summary: "Take a snapshot of one owner's customers, or the tenant's (audited)",
			in: snapshotRequest{}, out: customers.Snapshot{}, status: http.StatusCreated, errors: errsWrite, handle: s.takeSnapshot},
		{method: "GET", path: "/api/customer-snapshots", tag: tag, summary: "Snapshots the caller may see, newest first",
			query: snapshotQ, out: customers.SnapshotPage{}, errors: errsRead, handle: s.snapshots},
		{method: "GET", path: "/api/customer-snapshots/{id}", tag: tag, summary: "One snapshot",
			out: customers.Snapshot{}, errors: errsRead, handle: s.snapshot},
		{method: "GET", path: "/api/customer-snapshots/{id}/diff", tag: tag, summary: "What changed since a snapshot: customers added, archived, removed and every field altered",
			out: customers.SnapshotDiff{}, errors: errsRead, handle: s.diffWithCurrent},
		{method: "GET", path: "/api/customer-snapshots/{id}/diff/{to}", tag: tag, summary: "What changed between two snapshots",
			out: customers.SnapshotDiff{}, errors: errsRead, handle: s.diffSnapshots},
		{method: "POST", path: "/api/customer-snapshots/{id}/restore", tag: tag, summary: "Bring customers back to a snapshot's state (custodians only); audited per customer",
			in: restoreRequest{}, out: customers.RestoreReport{}, errors: errsWrite, handle: s.restoreSnapshot},
	}
}

// customerFilter reads the listing's query parameters.
func customerFilter(r *http.Request) (customers.Filter, error) {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := customers.Filter{
		Industry: q.Get("industry"),
		Region:   q.Get("region"),
		Tier:     customers.Tier(q.Get("tier")),
		Owner:    q.Get("owner"),
		Status:   customers.Status(q.Get("status")),
		Query:    q.Get("q"),
		Cursor:   q.Get("cursor"),
		Limit:    queryInt(r, "limit", &v),
	}
	f.MinValueCents = queryInt64(r, "min_value_cents", &v)
	f.MaxValueCents = queryInt64(r, "max_value_cents", &v)
	return f, v.Err()
}

// queryInt64 reads an optional integer query parameter (nil when absent).
func queryInt64(r *http.Request, name string, v *ballast.ValidationError) *int64 {
	s := r.URL.Query().Get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		v.Add(name, "must be an integer")
		return nil
	}
	return &n
}

// queryTime reads an optional RFC 3339 query parameter.
func queryTime(r *http.Request, name string, v *ballast.ValidationError) time.Time {
	s := r.URL.Query().Get(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		v.Add(name, "must be an RFC 3339 instant such as 2026-01-31T08:00:00Z")
	}
	return t
}

func (s *server) listCustomers(w http.ResponseWriter, r *http.Request) error {
	f, err := customerFilter(r)
	if err != nil {
		return err
	}
	page, err := s.customers.List(r.Context(), f)
	if err != nil {
		return err
	}
	page.Customers = nonNil(page.Customers)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) createCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customers.Params
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.customers.Create(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/customers/"+c.ID)
	return writeVersioned(w, http.StatusCreated, c, c.Version)
}

func (s *server) customer(w http.ResponseWriter, r *http.Request) error {
	c, err := s.customers.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) updateCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.customers.Update(r.Context(), r.PathValue("id"), in.Params, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) transferCustomer(w http.ResponseWriter, r *http.Request) error {
	var in customerTransfer
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := s.customers.Transfer(r.Context(), r.PathValue("id"), in.ToOwner, v, in.Reason)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) archiveCustomer(w http.ResponseWriter, r *http.Request) error {
	return s.setCustomerStatus(w, r, s.customers.Archive)
}

func (s *server) unarchiveCustomer(w http.ResponseWriter, r *http.Request) error {
	return s.setCustomerStatus(w, r, s.customers.Unarchive)
}

func (s *server) setCustomerStatus(w http.ResponseWriter, r *http.Request,
	fn func(ctx context.Context, id string, version int64, reason string) (customers.Customer, error)) error {
	var in reasonVersion
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	c, err := fn(r.Context(), r.PathValue("id"), v, in.Reason)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.Version)
}

func (s *server) customerHistory(w http.ResponseWriter, r *http.Request) error {
	es, err := s.customers.History(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(es))
}

func (s *server) transferCustomers(w http.ResponseWriter, r *http.Request) error {
	var in customers.TransferManyParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.customers.TransferMany(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

// exportCustomers buffers the CSV and sends it only once the export (and
// its audit entry) committed: a failed export sends a problem, never a
// partial file that left no evidence.
func (s *server) exportCustomers(w http.ResponseWriter, r *http.Request) error {
	f, err := customerFilter(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := s.customers.Export(r.Context(), &buf, f); err != nil {
		return err
	}
	csvHeaders(w, "customers.csv")
	_, err = buf.WriteTo(w)
	return err
}

func (s *server) takeSnapshot(w http.ResponseWriter, r *http.Request) error {
	var in snapshotRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	snap, err := s.customers.TakeSnapshot(r.Context(), customers.SnapshotScope{Owner: in.Owner}, in.Reason)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/customer-snapshots/"+snap.ID)
	return writeJSON(w, http.StatusCreated, snap)
}

func (s *server) snapshots(w http.ResponseWriter, r *http.Request) error {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := customers.SnapshotFilter{
		Owner:  q.Get("owner"),
		Tenant: queryBool(r, "tenant", &v),
		Since:  queryTime(r, "since", &v),
		Until:  queryTime(r, "until", &v),
		Cursor: q.Get("cursor"),
		Limit:  queryInt(r, "limit", &v),
	}
	if err := v.Err(); err != nil {
		return err
	}
	page, err := s.customers.Snapshots(r.Context(), f)
	if err != nil {
		return err
	}
	page.Snapshots = nonNil(page.Snapshots)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) snapshot(w http.ResponseWriter, r *http.Request) error {
	snap, err := s.customers.Snapshot(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, snap)
}

func (s *server) diffWithCurrent(w http.ResponseWriter, r *http.Request) error {
	d, err := s.customers.DiffWithCurrent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNilDiff(d))
}

func (s *server) diffSnapshots(w http.ResponseWriter, r *http.Request) error {
	d, err := s.customers.Diff(r.Context(), r.PathValue("id"), r.PathValue("to"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNilDiff(d))
}

// nonNilDiff makes the diff's empty lists encode as [].
func nonNilDiff(d customers.SnapshotDiff) customers.SnapshotDiff {
	d.Added, d.Archived, d.Removed, d.Changed = nonNil(d.Added), nonNil(d.Archived), nonNil(d.Removed), nonNil(d.Changed)
	return d
}

func (s *server) restoreSnapshot(w http.ResponseWriter, r *http.Request) error {
	var in restoreRequest
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.customers.Restore(r.Context(), r.PathValue("id"), in.CustomerIDs, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}
