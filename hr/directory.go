package hr

// EmployeeOrder is the order of a listing.
type EmployeeOrder string

// The listing orders.
const (
	// OrderByName orders by name, then ID (the default).
	OrderByName EmployeeOrder = "name"
	// OrderByNumber orders by employee number.
	OrderByNumber EmployeeOrder = "number"
)

// The page sizes of ListEmployees.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// EmployeeFilter selects a page of the directory. The zero value lists
// everyone, 50 at a time, by name.
type EmployeeFilter struct {
	// DepartmentID limits the listing to one department; empty means all.
	DepartmentID string `json:"department_id,omitempty"`
	// IncludeSubdepartments widens DepartmentID to its whole subtree.
	IncludeSubdepartments bool `json:"include_subdepartments,omitempty"`
	// Status limits the listing to one status; empty means all.
	Status Status `json:"status,omitempty"`
	// Query keeps employees whose name or number contains it
	// (case-insensitive for ASCII).
	Query string `json:"query,omitempty"`
	// Order is OrderByName (default) or OrderByNumber.
	Order EmployeeOrder `json:"order,omitempty"`
	// Cursor continues a listing: pass the NextCursor of the previous page
	// with the same filter.
	Cursor string `json:"cursor,omitempty"`
	// Limit is the page size: 0 means DefaultPageSize; at most MaxPageSize.
	Limit int `json:"limit,omitempty"`
}

// EmployeePage is one page of a listing.
type EmployeePage struct {
	Employees []Employee `json:"employees"`
	// NextCursor continues the listing; empty on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// EmployeeQuery is what the store's ListEmployees takes: an EmployeeFilter
// with the cursor decoded. The store returns at most Limit employees after
// the position (AfterKey, AfterID) in the chosen order.
type EmployeeQuery struct {
	DepartmentID          string
	IncludeSubdepartments bool
	Status                Status
	Query                 string
	OrderByNumber         bool
	// AfterKey is the name (or number, with OrderByNumber) of the last row
	// of the previous page and AfterID its ID; both empty for the first page.
	AfterKey string
	AfterID  string
	Limit    int
}

// ImportReport says what a CSV import created.
type ImportReport struct {
	Departments int `json:"departments"`
	Employees   int `json:"employees"`
}
