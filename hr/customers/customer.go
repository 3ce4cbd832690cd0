package customers

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Tier classifies a customer by importance.
type Tier string

// The tiers.
const (
	// TierKey marks a key account: the customers a company cannot afford to
	// lose with a departing salesperson.
	TierKey Tier = "key"
	// TierStandard is every other customer; it is the default.
	TierStandard Tier = "standard"
)

// Tiers lists every tier, in a stable order.
var Tiers = []Tier{TierKey, TierStandard}

// Status tells whether a customer record is in use. Records are never
// deleted: archiving is the soft delete, and Restore brings a record back.
type Status string

// The statuses.
const (
	StatusActive   Status = "active"
	StatusArchived Status = "archived"
	// StatusAll is a filter value only: active and archived records.
	StatusAll Status = "all"
)

// DefaultCurrency is the currency of amounts when none is given.
const DefaultCurrency = "CNY"

// Contact is a person at the customer.
type Contact struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
}

// Deal is one closed deal with the customer. AmountCents is in the
// customer's Currency, in hundredths (fen for CNY).
type Deal struct {
	Date        hr.Date `json:"date"`
	AmountCents int64   `json:"amount_cents"`
	Product     string  `json:"product,omitempty"`
}

// FollowUp is one contact made with the customer and what comes next.
type FollowUp struct {
	Date     hr.Date `json:"date"`
	Channel  string  `json:"channel,omitempty"` // visit, phone, wechat, email…
	Note     string  `json:"note,omitempty"`
	NextStep string  `json:"next_step,omitempty"`
}

// Customer is a customer record: a company asset held by one owning
// employee. Money is kept as integer hundredths of Currency (fen for CNY).
type Customer struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Industry string `json:"industry,omitempty"`
	Region   string `json:"region,omitempty"`
	Tier     Tier   `json:"tier"`
	// AnnualValueCents is the expected yearly revenue in hundredths of
	// Currency; never negative.
	AnnualValueCents int64 `json:"annual_value_cents"`
	// Currency is an ISO 4217 code such as "CNY".
	Currency  string     `json:"currency"`
	Contacts  []Contact  `json:"contacts,omitempty"`
	Deals     []Deal     `json:"deals,omitempty"`
	Needs     string     `json:"needs,omitempty"` // needs and preferences, free text
	FollowUps []FollowUp `json:"follow_ups,omitempty"`
	// OwnerID is the employee who holds the customer.
	OwnerID   string    `json:"owner_id"`
	Status    Status    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// ArchivedAt is when the record was archived; zero while active.
	ArchivedAt time.Time `json:"archived_at,omitzero"`
	// Version increases with every change (optimistic locking).
	Version int64 `json:"version"`
}

// Params is what Create and Update take. On Update it replaces every field
// (read the customer, change what you need, send it back with the version
// you read); OwnerID must then be empty or the current owner, since owners
// change only through Transfer.
//
// Validation: Name is required (at most 200 characters); Industry and
// Region at most 100; Tier is one of Tiers (empty means TierStandard);
// AnnualValueCents and every deal amount are not negative; Currency is
// three upper-case letters (empty means DefaultCurrency); each contact
// has a name and, when given, a well-formed email and phone; deals and
// follow-ups have real dates. OwnerID (empty on Create means the acting
// employee) must be an employee of the tenant who has not departed.
type Params struct {
	Name             string     `json:"name"`
	Industry         string     `json:"industry,omitempty"`
	Region           string     `json:"region,omitempty"`
	Tier             Tier       `json:"tier,omitempty"`
	AnnualValueCents int64      `json:"annual_value_cents"`
	Currency         string     `json:"currency,omitempty"`
	Contacts         []Contact  `json:"contacts,omitempty"`
	Deals            []Deal     `json:"deals,omitempty"`
	Needs            string     `json:"needs,omitempty"`
	FollowUps        []FollowUp `json:"follow_ups,omitempty"`
	OwnerID          string     `json:"owner_id,omitempty"`
}

// Params returns the Params that would leave c unchanged: the starting
// point for an Update.
func (c Customer) Params() Params {
	return Params{Name: c.Name, Industry: c.Industry, Region: c.Region, Tier: c.Tier,
		AnnualValueCents: c.AnnualValueCents, Currency: c.Currency, Contacts: c.Contacts,
		Deals: c.Deals, Needs: c.Needs, FollowUps: c.FollowUps, OwnerID: c.OwnerID}
}

// Filter selects customers for List and Export. Zero fields do not filter,
// except Status (empty means active only).
type Filter struct {
	Industry string `json:"industry,omitempty"`
	Region   string `json:"region,omitempty"`
	Tier     Tier   `json:"tier,omitempty"`
	// MinValueCents and MaxValueCents bound AnnualValueCents (inclusive).
	MinValueCents *int64 `json:"min_value_cents,omitempty"`
	MaxValueCents *int64 `json:"max_value_cents,omitempty"`
	// Owner selects one owner's customers (within what the principal sees).
	Owner string `json:"owner,omitempty"`
	// Status is StatusActive (the default), StatusArchived or StatusAll.
	Status Status `json:"status,omitempty"`
	// Query searches the name, contact names, needs and follow-up notes by
	// substring, case-insensitively; it works for Chinese text.
	Query string `json:"query,omitempty"`
	// Cursor is the Next of the previous page; empty for the first.
	Cursor string `json:"cursor,omitempty"`
	// Limit caps the page (default 50, at most 500).
	Limit int `json:"limit,omitempty"`
}

// Page is one page of customers ordered by name, then ID.
type Page struct {
	Customers []Customer `json:"customers"`
	// Next is the cursor of the following page; empty on the last.
	Next string `json:"next,omitempty"`
}
