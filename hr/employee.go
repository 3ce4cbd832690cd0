package hr

import "time"

// HireChannel is how an employee came to the company.
type HireChannel string

// The hire channels.
const (
	ChannelCampus           HireChannel = "campus"
	ChannelExperienced      HireChannel = "experienced"
	ChannelReferral         HireChannel = "referral" // requires a referrer
	ChannelAgency           HireChannel = "agency"
	ChannelInternalTransfer HireChannel = "internal_transfer"
)

// HireChannels lists every hire channel, in a stable order.
var HireChannels = []HireChannel{ChannelCampus, ChannelExperienced, ChannelReferral, ChannelAgency, ChannelInternalTransfer}

// Status is where an employee stands in their employment.
type Status string

// The employee statuses.
const (
	// StatusActive: employed, no resignation pending. No last working day.
	StatusActive Status = "active"
	// StatusResigning: a resignation is pending; LastWorkingDay is set.
	StatusResigning Status = "resigning"
	// StatusDeparted: gone; LastWorkingDay is set.
	StatusDeparted Status = "departed"
)

// Statuses lists every status, in a stable order.
var Statuses = []Status{StatusActive, StatusResigning, StatusDeparted}

// Employee is a person employed (or formerly employed) by a tenant. It is
// the directory record: what a holder of "employees:read" sees. The richer
// and more sensitive history lives in the employee's Profile.
type Employee struct {
	ID string `json:"id"`
	// Number is the employee number, unique within the tenant.
	Number string `json:"number"`
	Name   string `json:"name"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	// DepartmentID is where the employee works; always set.
	DepartmentID string `json:"department_id"`
	// PositionID is the employee's position; empty when none is recorded.
	PositionID string `json:"position_id,omitempty"`
	// ManagerID is the employee's line manager; empty at the top.
	ManagerID string `json:"manager_id,omitempty"`
	// HireDate is the first working day, a calendar date in the tenant's zone.
	HireDate    Date        `json:"hire_date"`
	HireChannel HireChannel `json:"hire_channel"`
	// ReferrerID is the employee who referred this one; set exactly when
	// HireChannel is ChannelReferral.
	ReferrerID string `json:"referrer_id,omitempty"`
	Status     Status `json:"status"`
	// LastWorkingDay is set when Status is resigning or departed.
	LastWorkingDay Date `json:"last_working_day"`
	// KeyPerson marks someone the business depends on (customers, know-how).
	KeyPerson bool      `json:"key_person"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version increases with every update (optimistic locking).
	Version int64 `json:"version"`
}

// EmployeeParams is what HireEmployee and UpdateEmployee take. On update it
// replaces every field (read the employee, change what you need, send it
// back with the version you read).
//
// Validation: Number (at most 64 characters), Name and DepartmentID are
// required; Email must be an address when set; HireDate is required and a
// real date; HireChannel must be one of HireChannels; ReferrerID is
// required for ChannelReferral and refused otherwise; Status defaults to
// StatusActive on hire; LastWorkingDay is required for resigning and
// departed, refused for active, and may not precede HireDate. Department,
// position, manager and referrer must exist in the principal's tenant; the
// manager line and the referrer may not be the employee, and the manager
// line may not loop (ErrCycle).
type EmployeeParams struct {
	Number         string      `json:"number"`
	Name           string      `json:"name"`
	Email          string      `json:"email,omitempty"`
	Phone          string      `json:"phone,omitempty"`
	DepartmentID   string      `json:"department_id"`
	PositionID     string      `json:"position_id,omitempty"`
	ManagerID      string      `json:"manager_id,omitempty"`
	HireDate       Date        `json:"hire_date"`
	HireChannel    HireChannel `json:"hire_channel"`
	ReferrerID     string      `json:"referrer_id,omitempty"`
	Status         Status      `json:"status,omitempty"`
	LastWorkingDay Date        `json:"last_working_day"`
	KeyPerson      bool        `json:"key_person"`
}

// Params returns the EmployeeParams that would leave e unchanged: the
// starting point for an UpdateEmployee.
func (e Employee) Params() EmployeeParams {
	return EmployeeParams{
		Number: e.Number, Name: e.Name, Email: e.Email, Phone: e.Phone,
		DepartmentID: e.DepartmentID, PositionID: e.PositionID, ManagerID: e.ManagerID,
		HireDate: e.HireDate, HireChannel: e.HireChannel, ReferrerID: e.ReferrerID,
		Status: e.Status, LastWorkingDay: e.LastWorkingDay, KeyPerson: e.KeyPerson,
	}
}
