package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// customerForm is the edit form's content as typed.
type customerForm struct {
	Version                       int64
	Name, Industry, Region, Tier  string
	Value, Currency, Needs, Owner string
	Contacts                      []customers.Contact
}

// historyRow is one audit entry of a customer's history.
type historyRow struct {
	audit.Entry
	ActorName string
	Action    string
	Rows      []changeRow
}

// customerView is everything the customer page shows.
type customerView struct {
	Customer    customers.Customer
	Owner       person
	History     []historyRow
	CanEdit     bool
	CanArchive  bool
	CanTransfer bool
	Form        customerForm
	Tiers       []option
	Owners      []option
	FieldErrors []ballast.FieldError
	Today       string
}

// handleCustomer shows one customer with its contacts, deals, needs,
// follow-ups and history, and the forms the principal may use.
func (s *server) handleCustomer(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	v, err := s.customerView(r, base, p, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, base, err)
		return
	}
	switch r.URL.Query().Get("saved") {
	case "1":
		base.Flash = s.cat.T(base.Lang, "cust.saved")
	case "archived":
		base.Flash = s.cat.T(base.Lang, "cust.archived.flash")
	case "unarchived":
		base.Flash = s.cat.T(base.Lang, "cust.unarchived.flash")
	case "transferred":
		base.Flash = s.cat.T(base.Lang, "cust.transferred.flash")
	}
	s.renderCustomer(w, r, http.StatusOK, base, v)
}

func (s *server) renderCustomer(w http.ResponseWriter, r *http.Request, status int, base *page, v *customerView) {
	base.Title = v.Customer.Name
	base.Section = "customers"
	base.Data = v
	s.render(w, r, status, "customer", base)
}

// customerView gathers the page; a customer the principal may not see is
// ErrNotFound (the service does not tell it from a missing one).
func (s *server) customerView(r *http.Request, base *page, p ballast.Principal, id string) (*customerView, error) {
	ctx := r.Context()
	c, err := s.customers.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	hist, err := s.customers.History(ctx, id)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	v := &customerView{Customer: c, Owner: person{ID: c.OwnerID, Name: s.name(ctx, names, c.OwnerID)}}
	for _, e := range hist {
		// A system job acting for an employee names them.
		v.History = append(v.History, historyRow{Entry: e, ActorName: s.actorName(ctx, base.Lang, names, e.Actor), Action: s.cat.T(base.Lang, "audit."+e.Action),
			Rows: s.changeRows(ctx, base.Lang, names, e.Changes)})
	}
	custodian := s.allowed(ctx, permCustomersReadAll) && s.allowed(ctx, permCustomersWrite)
	v.CanEdit = c.Status == customers.StatusActive && (custodian || c.OwnerID == p.Subject && s.allowed(ctx, permCustomersWrite))
	v.CanArchive = custodian
	v.CanTransfer = c.Status == customers.StatusActive && s.allowed(ctx, permCustomersTransfer)
	v.Form = formOf(c)
	v.Tiers = s.tierOptions(base.Lang, string(c.Tier), false)
	if v.CanTransfer {
		v.Owners = s.ownerOptions(ctx, base.Lang, "", "cust.transfer.choose")
	}
	loc := base.Zone
	if loc == nil {
		v.Today = s.clock.Now().UTC().Format("2006-01-02")
	} else {
		v.Today = s.clock.Now().In(loc).Format("2006-01-02")
	}
	return v, nil
}

// formOf fills the edit form from a customer, with two empty contact rows.
func formOf(c customers.Customer) customerForm {
	return customerForm{
		Version: c.Version, Name: c.Name, Industry: c.Industry, Region: c.Region, Tier: string(c.Tier),
		Value: moneyInput(c.AnnualValueCents), Currency: c.Currency, Needs: c.Needs,
		Contacts: padContacts(c.Contacts),
	}
}

// padContacts returns contacts with two empty rows to add new ones.
func padContacts(cs []customers.Contact) []customers.Contact {
	out := append([]customers.Contact(nil), cs...)
	return append(out, customers.Contact{}, customers.Contact{})
}

// readCustomerForm reads the edit form; empty contact rows are dropped.
func readCustomerForm(r *http.Request) customerForm {
	f := customerForm{
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Industry: strings.TrimSpace(r.PostFormValue("industry")),
		Region:   strings.TrimSpace(r.PostFormValue("region")),
		Tier:     r.PostFormValue("tier"),
		Value:    strings.TrimSpace(r.PostFormValue("value")),
		Currency: strings.TrimSpace(r.PostFormValue("currency")),
		Needs:    strings.TrimSpace(r.PostFormValue("needs")),
		Owner:    r.PostFormValue("owner"),
	}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	names, roles := r.PostForm["contact_name"], r.PostForm["contact_role"]
	phones, emails := r.PostForm["contact_phone"], r.PostForm["contact_email"]
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	for i := range names {
		c := customers.Contact{Name: at(names, i), Role: at(roles, i), Phone: at(phones, i), Email: at(emails, i)}
		if c == (customers.Contact{}) {
			continue
		}
		f.Contacts = append(f.Contacts, c)
	}
	return f
}

// params turns the form into customer params; a malformed amount is a
// field error.
func (f customerForm) params() (customers.Params, error) {
	var verr ballast.ValidationError
	cents, ok := parseMoney(f.Value)
	if !ok {
		verr.Add("annual_value", "is not an amount")
	}
	return customers.Params{
		Name: f.Name, Industry: f.Industry, Region: f.Region, Tier: customers.Tier(f.Tier),
		AnnualValueCents: cents, Currency: f.Currency, Needs: f.Needs, Contacts: f.Contacts,
	}, verr.Err()
}

// handleCustomerUpdate saves the edit form (name, classification, value,
// needs, contacts); deals and follow-ups are kept.
func (s *server) handleCustomerUpdate(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	f := readCustomerForm(r)
	np, err := f.params()
	if err == nil {
		var cur customers.Customer
		cur, err = s.customers.Get(r.Context(), id)
		if err == nil {
			np.Deals, np.FollowUps = cur.Deals, cur.FollowUps
			_, err = s.customers.Update(r.Context(), id, np, f.Version)
		}
	}
	s.afterCustomerChange(w, r, base, p, id, err, "1", func(v *customerView) {
		f.Contacts = padContacts(f.Contacts)
		v.Form = f
	})
}

// handleCustomerFollowUp appends one follow-up to the customer.
func (s *server) handleCustomerFollowUp(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	err := s.appendToCustomer(r, id, func(c *customers.Params, verr *ballast.ValidationError) {
		d, derr := hr.ParseDate(r.PostFormValue("date"))
		if derr != nil || d.IsZero() {
			verr.Add("follow_ups.date", "is not a date")
		}
		fu := customers.FollowUp{Date: d, Channel: strings.TrimSpace(r.PostFormValue("channel")),
			Note: strings.TrimSpace(r.PostFormValue("note")), NextStep: strings.TrimSpace(r.PostFormValue("next_step"))}
		if fu.Note == "" {
			verr.Add("follow_ups.note", "is required")
		}
		c.FollowUps = append(c.FollowUps, fu)
	})
	s.afterCustomerChange(w, r, base, p, id, err, "1", nil)
}

// handleCustomerDeal appends one closed deal to the customer.
func (s *server) handleCustomerDeal(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	err := s.appendToCustomer(r, id, func(c *customers.Params, verr *ballast.ValidationError) {
		d, derr := hr.ParseDate(r.PostFormValue("date"))
		if derr != nil || d.IsZero() {
			verr.Add("deals.date", "is not a date")
		}
		amt, ok := parseMoney(r.PostFormValue("amount"))
		if !ok {
			verr.Add("deals.amount", "is not an amount")
		}
		c.Deals = append(c.Deals, customers.Deal{Date: d, AmountCents: amt, Product: strings.TrimSpace(r.PostFormValue("product"))})
	})
	s.afterCustomerChange(w, r, base, p, id, err, "1", nil)
}

// appendToCustomer reads the customer at the form's version, lets add
// change its params and saves them.
func (s *server) appendToCustomer(r *http.Request, id string, add func(*customers.Params, *ballast.ValidationError)) error {
	ctx := r.Context()
	c, err := s.customers.Get(ctx, id)
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	p := c.Params()
	var verr ballast.ValidationError
	add(&p, &verr)
	if err := verr.Err(); err != nil {
		return err
	}
	_, err = s.customers.Update(ctx, id, p, version)
	return err
}

// handleCustomerArchive archives or brings back a customer (custodians).
func (s *server) handleCustomerArchive(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var err error
	flash := "archived"
	if strings.HasSuffix(r.URL.Path, "/unarchive") {
		_, err = s.customers.Unarchive(r.Context(), id, version, reason)
		flash = "unarchived"
	} else {
		_, err = s.customers.Archive(r.Context(), id, version, reason)
	}
	s.afterCustomerChange(w, r, base, p, id, err, flash, nil)
}

// handleCustomerTransfer moves a customer to another owner.
func (s *server) handleCustomerTransfer(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal) {
	if !s.postForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := s.customers.Transfer(r.Context(), id, r.PostFormValue("to"), version, strings.TrimSpace(r.PostFormValue("reason")))
	s.afterCustomerChange(w, r, base, p, id, err, "transferred", nil)
}

// afterCustomerChange redirects back to the customer after a change, or
// shows the page again with the error: bad fields and stale versions on
// the form, anything else as an error page.
func (s *server) afterCustomerChange(w http.ResponseWriter, r *http.Request, base *page, p ballast.Principal, id string, err error, flash string, keep func(*customerView)) {
	if err == nil {
		http.Redirect(w, r, "/customers/"+url.PathEscape(id)+"?saved="+flash, http.StatusSeeOther)
		return
	}
	if !errors.Is(err, ballast.ErrInvalid) && !errors.Is(err, ballast.ErrConflict) {
		s.fail(w, r, base, err)
		return
	}
	v, lerr := s.customerView(r, base, p, id)
	if lerr != nil {
		s.fail(w, r, base, lerr)
		return
	}
	status := http.StatusBadRequest
	var verr *ballast.ValidationError
	switch {
	case errors.As(err, &verr):
		v.FieldErrors = verr.Fields
		base.Error = s.cat.T(base.Lang, "form.invalid")
	case errors.Is(err, ballast.ErrConflict):
		status = http.StatusConflict
		base.Error = s.cat.T(base.Lang, "error.conflict.text")
	default:
		base.Error = s.cat.T(base.Lang, "form.invalid")
	}
	if keep != nil {
		keep(v)
	}
	s.renderCustomer(w, r, status, base, v)
}
