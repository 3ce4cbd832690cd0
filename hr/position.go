package hr

import "time"

// Position is a job in a department: its title, level and whether losing
// its holder would hurt the company (Critical), which succession planning
// and the key-person analytics read.
type Position struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	DepartmentID string `json:"department_id"`
	// Level is a numeric rank (1–10 by convention; 0 when the tenant uses
	// named grades only).
	Level int `json:"level,omitempty"`
	// Grade is a named grade such as "P7" or "M2"; optional.
	Grade string `json:"grade,omitempty"`
	// Critical marks a position whose vacancy puts the business at risk.
	Critical  bool      `json:"critical"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int64     `json:"version"`
}

// PositionParams is what CreatePosition and UpdatePosition take. On update
// it replaces every field.
type PositionParams struct {
	// Title is required, at most 200 characters.
	Title string `json:"title"`
	// DepartmentID is required: a department of the same tenant.
	DepartmentID string `json:"department_id"`
	// Level is 0 (unset) or 1–99.
	Level int `json:"level,omitempty"`
	// Grade is optional, at most 32 characters.
	Grade    string `json:"grade,omitempty"`
	Critical bool   `json:"critical"`
}
