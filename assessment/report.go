package assessment

import "github.com/ballast-hr/ballast/hr"

// EmployeeResult is what an employee sees of their finalised review: the
// result with per-indicator scores and the manager's comments, and the
// adjustments appeals made.
type EmployeeResult struct {
	CycleID     string       `json:"cycle_id"`
	CycleName   string       `json:"cycle_name"`
	Period      Period       `json:"period"`
	State       CycleState   `json:"state"`
	AppealUntil hr.Date      `json:"appeal_until"`
	Participant Participant  `json:"participant"`
	Result      Result       `json:"result"`
	Adjustments []Adjustment `json:"adjustments"`
}

// GradeCount is how many results have a grade.
type GradeCount struct {
	Grade string `json:"grade"`
	Count int    `json:"count"`
}

// IndicatorAverage is the average score of one indicator over a group.
type IndicatorAverage struct {
	IndicatorID string        `json:"indicator_id"`
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Kind        IndicatorKind `json:"kind"`
	Average     float64       `json:"average"`
	Count       int           `json:"count"`
}

// DepartmentReport summarises one department's results in a cycle.
type DepartmentReport struct {
	CycleID      string `json:"cycle_id"`
	DepartmentID string `json:"department_id"`
	Participants int    `json:"participants"`
	// Finalised counts the participants with a result; the averages and
	// the distribution are over them.
	Finalised    int                `json:"finalised"`
	AverageScore float64            `json:"average_score"`
	Grades       []GradeCount       `json:"grades"`
	Indicators   []IndicatorAverage `json:"indicators"`
	// QuantificationRate is the share (0–1) of the department's effective
	// weight that rests on quantitative indicators.
	QuantificationRate float64 `json:"quantification_rate"`
}

// DepartmentGrades is one department's grade distribution.
type DepartmentGrades struct {
	DepartmentID string       `json:"department_id"`
	Count        int          `json:"count"`
	Average      float64      `json:"average"`
	Grades       []GradeCount `json:"grades"`
}

// Distribution is a cycle's grade distribution per department, as HR sees
// it in calibration: provisional (computed from the current scores and
// calibrations) until the cycle is finalised.
type Distribution struct {
	CycleID     string             `json:"cycle_id"`
	Provisional bool               `json:"provisional"`
	Overall     []GradeCount       `json:"overall"`
	Departments []DepartmentGrades `json:"departments"`
}

// PhaseProgress counts participants by status in one department ("" for
// the whole cycle).
type PhaseProgress struct {
	DepartmentID string                    `json:"department_id,omitempty"`
	Total        int                       `json:"total"`
	ByStatus     map[ParticipantStatus]int `json:"by_status"`
}

// Progress is HR's view of a cycle: where it stands and how many
// participants are at each status, overall and per department.
type Progress struct {
	CycleID     string          `json:"cycle_id"`
	State       CycleState      `json:"state"`
	Deadlines   Deadlines       `json:"deadlines"`
	Overall     PhaseProgress   `json:"overall"`
	Departments []PhaseProgress `json:"departments"`
}

// FinaliseReport says what Finalise did.
type FinaliseReport struct {
	Participants int          `json:"participants"`
	Grades       []GradeCount `json:"grades"`
	// Incomplete counts the results with indicators nobody scored.
	Incomplete int `json:"incomplete"`
	// Unsubmitted counts the manager reviews that were not submitted
	// (FinaliseOptions.AllowIncomplete).
	Unsubmitted int `json:"unsubmitted,omitempty"`
}

// ReconcileReport says what one Reconcile did.
type ReconcileReport struct {
	Reminders   int `json:"reminders"`
	Escalations int `json:"escalations"`
}
