package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// customerPageSize is how many customers one page of the list shows.
const customerPageSize = 20

// customerRoutes registers the customer pages.
func (s *server) customerRoutes(mux *http.ServeMux) {
	mux.Handle("GET /customers", s.signedIn(s.handleCustomers))
	mux.Handle("GET /customers/new", s.signedIn(s.handleCustomerNew))
	mux.Handle("POST /customers", s.signedIn(s.handleCustomerCreate))
	mux.Handle("POST /customers/export", s.signedIn(s.handleCustomerExport))
	mux.Handle("GET /customers/snapshots", s.signedIn(s.handleSnapshots))
	mux.Handle("POST /customers/snapshots", s.signedIn(s.handleSnapshotTake))
	mux.Handle("GET /customers/snapshots/diff", s.signedIn(s.handleSnapshotDiff))
	mux.Handle("POST /customers/snapshots/{id}/restore", s.signedIn(s.handleSnapshotRestore))
	mux.Handle("GET /customers/{id}", s.signedIn(s.handleCustomer))
	mux.Handle("POST /customers/{id}", s.signedIn(s.handleCustomerUpdate))
	mux.Handle("POST /customers/{id}/followups", s.signedIn(s.handleCustomerFollowUp))
	mux.Handle("POST /customers/{id}/deals", s.signedIn(s.handleCustomerDeal))
	mux.Handle("POST /customers/{id}/archive", s.signedIn(s.handleCustomerArchive))
	mux.Handle("POST /customers/{id}/unarchive", s.signedIn(s.handleCustomerArchive))
	mux.Handle("POST /customers/{id}/transfer", s.signedIn(s.handleCustomerTransfer))
}

// customerRow is one line of the customer list.
type customerRow struct {
	customers.Customer
	Owner string
}

// customerFilterForm is the filter form as typed, kept for the next page
// and the export.
type customerFilterForm struct {
	Industry, Region, Tier, Min, Max, Owner, Status, Query string
}

// values returns the non-empty fields as URL values.
func (f customerFilterForm) values() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"industry": f.Industry, "region": f.Region, "tier": f.Tier, "min": f.Min, "max": f.Max, "owner": f.Owner, "status": f.Status, "q": f.Query} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// readCustomerFilter reads the filter form; bad amounts are reported and
// left out of the filter.
func readCustomerFilter(get func(string) string) (customerFilterForm, customers.Filter, []string) {
	ff := customerFilterForm{
		Industry: strings.TrimSpace(get("industry")), Region: strings.TrimSpace(get("region")),
		Tier: get("tier"), Min: strings.TrimSpace(get("min")), Max: strings.TrimSpace(get("max")),
		Owner: get("owner"), Status: get("status"), Query: strings.TrimSpace(get("q")),
	}
	f := customers.Filter{Industry: ff.Industry, Region: ff.Region, Owner: ff.Owner, Query: ff.Query}
	var bad []string
	if ff.Tier == string(customers.TierKey) || ff.Tier == string(customers.TierStandard) {
		f.Tier = customers.Tier(ff.Tier)
	} else {
		ff.Tier = ""
	}
	switch customers.Status(ff.Status) {
	case customers.StatusArchived, customers.StatusAll:
		f.Status = customers.Status(ff.Status)
	default:
		ff.Status = ""
	}
	if ff.Min != "" {
		if c, ok := parseMoney(ff.Min); ok {
			f.MinValueCents = &c
		} else {
			bad = append(bad, "min")
		}
	}
	if ff.Max != "" {
		if c, ok := parseMoney(ff.Max); ok {
			f.MaxValueCents = &c
		} else {
			bad = append(bad, "max")
		}
	}
	return ff, f, bad
}

// handleCustomers lists the customers the principal may see, filtered and
// one page at a time.
func (s *server) handleCustomers(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	q := r.URL.Query()
	ff, f, bad := readCustomerFilter(q.Get)
	f.Cursor = q.Get("cursor")
	f.Limit = customerPageSize
	seeOthers := s.allowed(ctx, permCustomersReadAll) || s.allowed(ctx, permCustomersReadDepartment)
	if !seeOthers {
		f.Owner, ff.Owner = "", ""
	}
	pg, err := s.customers.List(ctx, f)
	if errors.Is(err, ballast.ErrInvalid) && f.Cursor != "" {
		f.Cursor = ""
		pg, err = s.customers.List(ctx, f)
	}
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	names := map[string]string{}
	rows := make([]customerRow, 0, len(pg.Customers))
	for _, c := range pg.Customers {
		rows = append(rows, customerRow{Customer: c, Owner: s.name(ctx, names, c.OwnerID)})
	}
	keep := ff.values()
	var next, first string
	if pg.Next != "" {
		nv := ff.values()
		nv.Set("cursor", pg.Next)
		next = "/customers?" + nv.Encode()
	}
	if f.Cursor != "" {
		first = "/customers?" + keep.Encode()
	}
	if len(bad) > 0 {
		base.Error = s.cat.T(base.Lang, "cust.filter.badvalue")
	}
	var owners []option
	if seeOthers {
		owners = s.ownerOptions(ctx, base.Lang, ff.Owner, "cust.filter.allowners")
	}
	base.Title = s.cat.T(base.Lang, "cust.title")
	base.Section = "customers"
	base.Data = struct {
		Rows            []customerRow
		Form            customerFilterForm
		Tiers, Statuses []option
		Owners          []option
		Next, First     string
		CanExport       bool
		CanCreate       bool
		CanArchived     bool
		Export          url.Values
	}{
		Rows: rows, Form: ff, Tiers: s.tierOptions(base.Lang, ff.Tier, true), Owners: owners,
		Statuses: []option{
			{Value: "", Label: s.cat.T(base.Lang, "cust.status.active"), Selected: ff.Status == ""},
			{Value: string(customers.StatusArchived), Label: s.cat.T(base.Lang, "cust.status.archived"), Selected: ff.Status == string(customers.StatusArchived)},
			{Value: string(customers.StatusAll), Label: s.cat.T(base.Lang, "cust.status.all"), Selected: ff.Status == string(customers.StatusAll)},
		},
		Next: next, First: first,
		CanExport:   s.allowed(ctx, permCustomersExport),
		CanCreate:   s.allowed(ctx, permCustomersWrite),
		CanArchived: seeOthers,
		Export:      keep,
	}
	s.render(w, r, http.StatusOK, "customers", base)
}

// handleCustomerExport sends the filtered customers as CSV. The service
// checks customers:export and records the export in audit.
func (s *server) handleCustomerExport(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	_, f, bad := readCustomerFilter(r.PostFormValue)
	if len(bad) > 0 {
		s.fail(w, r, base, ballast.ErrInvalid)
		return
	}
	var buf bytes.Buffer
	if _, err := s.customers.Export(r.Context(), &buf, f); err != nil {
		s.fail(w, r, base, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="customers-`+s.clock.Now().UTC().Format("20060102-150405")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = buf.WriteTo(w)
}

// customerNewView is the create form.
type customerNewView struct {
	Form        customerForm
	Tiers       []option
	Owners      []option
	FieldErrors []ballast.FieldError
}

// handleCustomerNew shows the form for a new customer.
func (s *server) handleCustomerNew(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	ctx := r.Context()
	if !s.allowed(ctx, permCustomersWrite) {
		s.fail(w, r, base, ballast.ErrForbidden)
		return
	}
	s.renderCustomerNew(w, r, http.StatusOK, base, customerForm{Tier: string(customers.TierStandard), Contacts: padContacts(nil)}, nil)
}

func (s *server) renderCustomerNew(w http.ResponseWriter, r *http.Request, status int, base *page, f customerForm, ferrs []ballast.FieldError) {
	ctx := r.Context()
	v := customerNewView{Form: f, Tiers: s.tierOptions(base.Lang, f.Tier, false), FieldErrors: ferrs}
	if s.allowed(ctx, permCustomersTransfer) {
		v.Owners = s.ownerOptions(ctx, base.Lang, f.Owner, "cust.new.ownerself")
	}
	base.Title = s.cat.T(base.Lang, "cust.new.title")
	base.Section = "customers"
	base.Data = v
	s.render(w, r, status, "customer_new", base)
}

// handleCustomerCreate records a new customer and opens it.
func (s *server) handleCustomerCreate(w http.ResponseWriter, r *http.Request, base *page, _ ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	f := readCustomerForm(r)
	params, perr := f.params()
	var c customers.Customer
	err := perr
	if err == nil {
		params.OwnerID = f.Owner
		c, err = s.customers.Create(r.Context(), params)
	}
	if err == nil {
		http.Redirect(w, r, "/customers/"+url.PathEscape(c.ID)+"?saved=1", http.StatusSeeOther)
		return
	}
	var verr *ballast.ValidationError
	if !errors.As(err, &verr) {
		s.fail(w, r, base, err)
		return
	}
	base.Error = s.cat.T(base.Lang, "form.invalid")
	f.Contacts = padContacts(f.Contacts)
	s.renderCustomerNew(w, r, http.StatusBadRequest, base, f, verr.Fields)
}

// tierOptions lists the tiers for a select box, with "all" first when
// asked.
func (s *server) tierOptions(lang, selected string, all bool) []option {
	var out []option
	if all {
		out = append(out, option{Value: "", Label: s.cat.T(lang, "cust.filter.alltiers")})
	}
	for _, t := range customers.Tiers {
		out = append(out, option{Value: string(t), Label: s.cat.T(lang, "tier."+string(t)), Selected: string(t) == selected})
	}
	return out
}

// ownerOptions lists the active employees for an owner select box, with a
// first entry labelled by firstKey.
func (s *server) ownerOptions(ctx context.Context, lang, selected, firstKey string) []option {
	out := []option{{Value: "", Label: s.cat.T(lang, firstKey)}}
	pg, err := s.hr.ListEmployees(ctx, hr.EmployeeFilter{Status: hr.StatusActive, Limit: 500})
	if err != nil {
		return out
	}
	for _, e := range pg.Employees {
		out = append(out, option{Value: e.ID, Label: e.Name, Selected: e.ID == selected})
	}
	if selected != "" {
		found := false
		for _, o := range out {
			found = found || o.Selected
		}
		if !found {
			if e, err := s.hr.Employee(ctx, selected); err == nil {
				out = append(out, option{Value: e.ID, Label: e.Name, Selected: true})
			}
		}
	}
	return out
}

// name returns the name of employee id (looked up once per request), or
// the ID itself when it is no employee the principal may see.
func (s *server) name(ctx context.Context, cache map[string]string, id string) string {
	if id == "" {
		return ""
	}
	if n, ok := cache[id]; ok {
		return n
	}
	n := id
	if e, err := s.hr.Employee(ctx, id); err == nil {
		n = e.Name
	}
	cache[id] = n
	return n
}

// parseMoney reads an amount in currency units ("1,234.56", "1234") as
// hundredths; negative or malformed amounts are refused.
func parseMoney(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	s = strings.TrimPrefix(s, "¥")
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, false
	}
	if whole == "" {
		whole = "0"
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1<<50 {
		return 0, false
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return w*100 + f, true
}

// moneyInput renders hundredths for an input field ("1234.5" → "1234.50").
func moneyInput(cents int64) string {
	if cents%100 == 0 {
		return strconv.FormatInt(cents/100, 10)
	}
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

// parseVersion reads a version field; a malformed one is 0, which the
// services refuse as stale.
func parseVersion(s string) int64 {
	v, _ := strconv.ParseInt(s, 10, 64)
	return v
}
