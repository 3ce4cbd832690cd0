package hr

import "time"

// Department is one node of a tenant's organisation tree.
type Department struct {
	// ID identifies the department within its tenant.
	ID string `json:"id"`
	// Name is unique among its siblings (so a path like "Sales/East" names
	// one department).
	Name string `json:"name"`
	// ParentID is the enclosing department; empty for a root.
	ParentID string `json:"parent_id,omitempty"`
	// HeadID is the employee who heads the department; empty when vacant.
	HeadID    string    `json:"head_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// DepartmentParams is what CreateDepartment and UpdateDepartment take. On
// update it replaces the name, parent and head; moving a department is an
// update of ParentID, refused with ErrCycle when the new parent lies inside
// the department's own subtree.
type DepartmentParams struct {
	// Name is required, at most 200 characters, without "/".
	Name string `json:"name"`
	// ParentID is the enclosing department in the same tenant; empty makes
	// a root.
	ParentID string `json:"parent_id,omitempty"`
	// HeadID is an employee of the same tenant; empty leaves it vacant.
	HeadID string `json:"head_id,omitempty"`
}

// DepartmentNode is a department in the tree returned by DepartmentTree,
// with its headcounts. Headcounts count employees who have not departed
// (active and resigning).
type DepartmentNode struct {
	Department
	// Headcount counts the employees placed directly in this department.
	Headcount int `json:"headcount"`
	// TotalHeadcount adds the headcounts of every department below it.
	TotalHeadcount int `json:"total_headcount"`
	// Children are the sub-departments, ordered by name.
	Children []*DepartmentNode `json:"children,omitempty"`
}
