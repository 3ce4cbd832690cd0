package insight

import (
	"context"

	"github.com/ballast-hr/ballast/hr"
)

// Store is what the insight Service reads. storage implements it
// (storage.DB.Insight()); storetest.RunInsight checks any implementation.
//
// Every method takes the tenant explicitly, never returns another tenant's
// rows, joins the transaction carried by ctx (if any) and is one query.
type Store interface {
	// Departments returns every department of tenant (ID, name, parent,
	// head), in no particular order.
	Departments(ctx context.Context, tenant string) ([]Department, error)
	// Employees returns one Employee per employee of tenant, departed ones
	// included, in ONE query, in no particular order. It is the edge list of
	// the referral graph, so it reads only the columns Employee holds.
	Employees(ctx context.Context, tenant string) ([]Employee, error)
	// Holdings aggregates the tenant's ACTIVE customers by owner, in one
	// GROUP BY query joined to the owners' departments (customers are never
	// loaded one by one). departmentIDs limits the rows to owners placed in
	// those departments; nil means every department.
	Holdings(ctx context.Context, tenant string, departmentIDs []string) ([]Holding, error)
}

// Employee is one row of the referral graph: an employee, who referred
// them, where they work and whether they are still employed.
type Employee struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// ReferrerID is the employee who referred this one; empty if none.
	ReferrerID string `json:"referrer_id,omitempty"`
	// DepartmentID is where the employee works.
	DepartmentID string    `json:"department_id"`
	Status       hr.Status `json:"status"`
	// KeyPerson is the flag HR recorded on the employee by hand.
	KeyPerson bool `json:"key_person"`
}

// Department is one node of the department tree, as the analysis needs it.
type Department struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// ParentID is the enclosing department; empty for a root.
	ParentID string `json:"parent_id,omitempty"`
	// HeadID is the employee heading the department; empty when vacant.
	HeadID string `json:"head_id,omitempty"`
}

// Holding is what one employee owns among the active customers of their
// department: one row of the GROUP BY behind Store.Holdings.
type Holding struct {
	// OwnerID is the owning employee.
	OwnerID string `json:"owner_id"`
	// DepartmentID is the owner's department.
	DepartmentID string `json:"department_id"`
	// Customers counts the owner's active customers.
	Customers int `json:"customers"`
	// KeyAccounts counts those of tier "key".
	KeyAccounts int `json:"key_accounts"`
	// AnnualValueCents sums the annual value of all of them.
	AnnualValueCents int64 `json:"annual_value_cents"`
	// KeyAccountValueCents sums the annual value of the key accounts.
	KeyAccountValueCents int64 `json:"key_account_value_cents"`
}
