package assets

import (
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// Kind is what sort of thing an asset is.
type Kind string

// The asset kinds.
const (
	KindLaptop        Kind = "laptop"
	KindPhone         Kind = "phone"
	KindKeys          Kind = "keys"
	KindBusinessCards Kind = "business_cards"
	KindAccessBadge   Kind = "access_badge"
	KindOther         Kind = "other"
)

// Kinds lists every kind, in a stable order.
var Kinds = []Kind{KindLaptop, KindPhone, KindKeys, KindBusinessCards, KindAccessBadge, KindOther}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Condition is the physical state of an asset.
type Condition string

// The conditions. ConditionMissing is set only by MarkMissing.
const (
	ConditionNew     Condition = "new"
	ConditionGood    Condition = "good"
	ConditionWorn    Condition = "worn"
	ConditionDamaged Condition = "damaged"
	ConditionMissing Condition = "missing"
)

// Conditions lists every condition, in a stable order.
var Conditions = []Condition{ConditionNew, ConditionGood, ConditionWorn, ConditionDamaged, ConditionMissing}

// Valid reports whether c is one of Conditions.
func (c Condition) Valid() bool {
	for _, x := range Conditions {
		if c == x {
			return true
		}
	}
	return false
}

// Status is where an asset stands.
type Status string

// The statuses. A returned asset is in stock again (its ReturnedOn says
// when it came back).
const (
	// StatusInStock: held by the company, ready to be issued.
	StatusInStock Status = "in_stock"
	// StatusIssued: held by the employee named in Asset.Holder.
	StatusIssued Status = "issued"
	// StatusLost: reported missing (MarkMissing); it may still be retired.
	StatusLost Status = "lost"
	// StatusRetired: written off; it can never be issued again.
	StatusRetired Status = "retired"
)

// Statuses lists every status, in a stable order.
var Statuses = []Status{StatusInStock, StatusIssued, StatusLost, StatusRetired}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Asset is one company asset in the register: a laptop, a phone, a set of
// keys, a box of business cards, an access badge.
type Asset struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Name is what people call it ("ThinkPad X1 #12", "Office keys, 3F").
	Name string `json:"name"`
	// Model is the make and model, free text.
	Model string `json:"model,omitempty"`
	// Tag is the serial number or asset tag, unique within the tenant when
	// set (business cards may have none).
	Tag string `json:"tag,omitempty"`
	// Holder is the employee ID of whoever holds the asset; empty unless
	// Status is StatusIssued.
	Holder string `json:"holder,omitempty"`
	// IssuedOn is the day the current holder received it (zero when not
	// issued); DueBack the day it is due back, if agreed.
	IssuedOn hr.Date `json:"issued_on"`
	DueBack  hr.Date `json:"due_back"`
	// ReturnedOn is the day it last came back (zero if it never did).
	ReturnedOn hr.Date   `json:"returned_on"`
	Condition  Condition `json:"condition"`
	Notes      string    `json:"notes,omitempty"`
	Status     Status    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// Version increases with every change (optimistic locking).
	Version int64 `json:"version"`
}

// Issuance is one row of an asset's history: one hand-over to an employee
// and, once it ended, how it ended.
type Issuance struct {
	ID      string `json:"id"`
	AssetID string `json:"asset_id"`
	Holder  string `json:"holder"`
	// IssuedOn and DueBack are copied from the Issue call.
	IssuedOn hr.Date `json:"issued_on"`
	DueBack  hr.Date `json:"due_back"`
	// ReturnedOn is the day it came back or was reported missing; zero
	// while the issuance is open.
	ReturnedOn hr.Date `json:"returned_on"`
	// ConditionOut is the asset's condition when issued; ConditionIn when it
	// came back (ConditionMissing for a lost asset), empty while open.
	ConditionOut Condition `json:"condition_out"`
	ConditionIn  Condition `json:"condition_in,omitempty"`
	// Note is what was said at the return; CostNote, for a missing asset,
	// what it costs and who bears it.
	Note      string    `json:"note,omitempty"`
	CostNote  string    `json:"cost_note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Open reports whether the issuance has not ended yet.
func (i Issuance) Open() bool { return i.ReturnedOn.IsZero() }

// Params is what Register and Update take. On Update it replaces every
// field it names (read the asset, change what you need, send it back).
//
// Validation: Kind must be one of Kinds; Name is required (at most 200
// characters); Model, Tag (at most 100) and Notes (at most 2000) are
// optional; Condition defaults to ConditionNew on Register and must be one
// of Conditions except ConditionMissing (use MarkMissing). A Tag another
// asset of the tenant has is ErrDuplicateTag.
type Params struct {
	Kind      Kind      `json:"kind"`
	Name      string    `json:"name"`
	Model     string    `json:"model,omitempty"`
	Tag       string    `json:"tag,omitempty"`
	Condition Condition `json:"condition,omitempty"`
	Notes     string    `json:"notes,omitempty"`
}

// Params returns the Params that would leave a unchanged.
func (a Asset) Params() Params {
	return Params{Kind: a.Kind, Name: a.Name, Model: a.Model, Tag: a.Tag, Condition: a.Condition, Notes: a.Notes}
}

// IssueParams is what Issue takes.
//
// Validation: Holder is required and must be an employee of the tenant who
// has not departed; On is required and a real day; DueBack, when set, may
// not precede On.
type IssueParams struct {
	Holder  string  `json:"holder"`
	On      hr.Date `json:"on"`
	DueBack hr.Date `json:"due_back"`
}

// ReturnParams is what Return takes.
//
// Validation: On is required and may not precede the day the asset was
// issued; Condition is required, one of Conditions except ConditionMissing;
// Note is optional (at most 2000 characters).
type ReturnParams struct {
	On        hr.Date   `json:"on"`
	Condition Condition `json:"condition"`
	Note      string    `json:"note,omitempty"`
}

// The page sizes of List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Filter selects a page of the register. The zero value lists every asset
// the principal may see, 50 at a time, by name.
type Filter struct {
	// Holder keeps the assets held by one employee.
	Holder string `json:"holder,omitempty"`
	// Kind and Status keep one kind or status.
	Kind   Kind   `json:"kind,omitempty"`
	Status Status `json:"status,omitempty"`
	// Query keeps assets whose name, model, tag or notes contain it
	// (case-insensitive for ASCII; any script matches as a substring).
	Query string `json:"query,omitempty"`
	// Cursor continues a listing: the NextCursor of the previous page.
	Cursor string `json:"cursor,omitempty"`
	// Limit is the page size: 0 means DefaultPageSize; at most MaxPageSize.
	Limit int `json:"limit,omitempty"`
}

// Page is one page of a listing.
type Page struct {
	Assets []Asset `json:"assets"`
	// NextCursor continues the listing; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}
