package hr

import (
	"context"
	"errors"
	"io"
)

var errTODO = errors.New("hr: not implemented yet")

// CreateTenant creates a tenant. Only a KindSystem principal (the platform)
// may; its own tenant is irrelevant. The audit entry goes to the new
// tenant's chain.
func (s *Service) CreateTenant(ctx context.Context, p TenantParams) (Tenant, error) {
	return Tenant{}, errTODO
}

// Tenant returns the principal's tenant. Any principal of the tenant may
// read it.
func (s *Service) Tenant(ctx context.Context) (Tenant, error) { return Tenant{}, errTODO }

// UpdateTenant changes the principal's tenant's name, zone and locale
// (PermOrgWrite). version is the version read; stale gives ErrConflict.
func (s *Service) UpdateTenant(ctx context.Context, p TenantParams, version int64) (Tenant, error) {
	return Tenant{}, errTODO
}

// CreateDepartment adds a department (PermOrgWrite).
func (s *Service) CreateDepartment(ctx context.Context, p DepartmentParams) (Department, error) {
	return Department{}, errTODO
}

// UpdateDepartment replaces a department's name, parent and head
// (PermOrgWrite). Moving it under its own subtree gives ErrCycle.
func (s *Service) UpdateDepartment(ctx context.Context, id string, p DepartmentParams, version int64) (Department, error) {
	return Department{}, errTODO
}

// DeleteDepartment deletes an empty department (PermOrgWrite); one with
// sub-departments, positions or employees gives ErrConflict.
func (s *Service) DeleteDepartment(ctx context.Context, id string, version int64) error {
	return errTODO
}

// Department returns one department (PermEmployeesRead).
func (s *Service) Department(ctx context.Context, id string) (Department, error) {
	return Department{}, errTODO
}

// Departments returns every department of the tenant, ordered by name
// (PermEmployeesRead).
func (s *Service) Departments(ctx context.Context) ([]Department, error) { return nil, errTODO }

// DepartmentTree returns the roots of the department tree with their
// subtrees and headcounts (PermEmployeesRead).
func (s *Service) DepartmentTree(ctx context.Context) ([]*DepartmentNode, error) {
	return nil, errTODO
}

// CreatePosition adds a position (PermOrgWrite).
func (s *Service) CreatePosition(ctx context.Context, p PositionParams) (Position, error) {
	return Position{}, errTODO
}

// UpdatePosition replaces a position's fields (PermOrgWrite).
func (s *Service) UpdatePosition(ctx context.Context, id string, p PositionParams, version int64) (Position, error) {
	return Position{}, errTODO
}

// DeletePosition deletes a position no employee holds (PermOrgWrite).
func (s *Service) DeletePosition(ctx context.Context, id string, version int64) error {
	return errTODO
}

// Position returns one position (PermEmployeesRead).
func (s *Service) Position(ctx context.Context, id string) (Position, error) {
	return Position{}, errTODO
}

// Positions lists the positions of a department, or all when departmentID
// is empty (PermEmployeesRead).
func (s *Service) Positions(ctx context.Context, departmentID string) ([]Position, error) {
	return nil, errTODO
}

// HireEmployee records a new employee (PermEmployeesWrite).
func (s *Service) HireEmployee(ctx context.Context, p EmployeeParams) (Employee, error) {
	return Employee{}, errTODO
}

// UpdateEmployee replaces an employee's record (PermEmployeesWrite).
func (s *Service) UpdateEmployee(ctx context.Context, id string, p EmployeeParams, version int64) (Employee, error) {
	return Employee{}, errTODO
}

// Employee returns one employee (PermEmployeesRead).
func (s *Service) Employee(ctx context.Context, id string) (Employee, error) {
	return Employee{}, errTODO
}

// EmployeeByNumber returns the employee with the given number
// (PermEmployeesRead).
func (s *Service) EmployeeByNumber(ctx context.Context, number string) (Employee, error) {
	return Employee{}, errTODO
}

// ListEmployees returns one page of the directory (PermEmployeesRead).
func (s *Service) ListEmployees(ctx context.Context, f EmployeeFilter) (EmployeePage, error) {
	return EmployeePage{}, errTODO
}

// Referrals lists the employees referred by employeeID
// (PermEmployeesReadAll).
func (s *Service) Referrals(ctx context.Context, employeeID string) ([]Employee, error) {
	return nil, errTODO
}

// Profile returns an employee's profile: one's own, or anyone's with
// PermEmployeesReadAll.
func (s *Service) Profile(ctx context.Context, employeeID string) (Profile, error) {
	return Profile{}, errTODO
}

// UpdateProfile changes sections of a profile: the employee themself with
// PermProfileWriteSelf (self-service sections only), or HR with
// PermProfileWriteHR (everything).
func (s *Service) UpdateProfile(ctx context.Context, employeeID string, u ProfileUpdate) (Profile, error) {
	return Profile{}, errTODO
}

// ImportDepartmentsCSV imports departments (PermEmployeesImport).
func (s *Service) ImportDepartmentsCSV(ctx context.Context, r io.Reader) (ImportReport, error) {
	return ImportReport{}, errTODO
}

// ImportEmployeesCSV imports employees (PermEmployeesImport).
func (s *Service) ImportEmployeesCSV(ctx context.Context, r io.Reader) (ImportReport, error) {
	return ImportReport{}, errTODO
}

// ExportEmployeesCSV writes the employees f selects (every page) to w in
// the import format and returns how many rows it wrote
// (PermEmployeesExport).
func (s *Service) ExportEmployeesCSV(ctx context.Context, w io.Writer, f EmployeeFilter) (int, error) {
	return 0, errTODO
}

// ExportDepartmentsCSV writes every department to w in the import format
// (PermEmployeesExport).
func (s *Service) ExportDepartmentsCSV(ctx context.Context, w io.Writer) (int, error) {
	return 0, errTODO
}
