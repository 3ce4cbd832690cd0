// Package hr keeps the records HR holds about a company: the tenant, its
// department tree, positions, employees (hire channel, referrer, manager,
// status, last working day, key-person flag) and each employee's profile
// (performance history, projects, certifications, skills, management
// experience, career plan).
//
// Build one Service from a store, a transactor, an authorizer and an
// auditor, put a principal on the context and call the use cases:
//
//	svc, err := hr.New(hr.Config{Store: db.HR(), Tx: db, Auth: enforcer, Audit: auditLog})
//	ctx = ballast.WithPrincipal(ctx, ballast.Principal{Tenant: t, Subject: u, Kind: ballast.KindUser})
//	sales, err := svc.CreateDepartment(ctx, hr.DepartmentParams{Name: "Sales"})
//	e, err := svc.HireEmployee(ctx, hr.EmployeeParams{Number: "E001", Name: "Li Na",
//		DepartmentID: sales.ID, HireDate: hr.NewDate(2024, 3, 1), HireChannel: hr.ChannelCampus})
//
// Every use case reads the principal from the context, checks its
// permission (the Perm constants), validates its input (a
// *ballast.ValidationError lists every bad field), and runs in one
// transaction that writes the change and appends an audit entry with a
// field-level diff. Updates take the version the caller read; a stale one
// gives ballast.ErrConflict. References to records of another tenant look
// exactly like references to records that do not exist.
//
// Permissions and what a principal sees: "org:read" reads the department
// tree and positions, "org:write" changes them; "employees:read" reads the
// directory of Employee records (contact data, department, position,
// manager, hire data, status, last working day, key-person flag);
// "employees:write" hires and changes employees; "employees:read:all" opens
// the referral analytics; "employees:import"/"employees:export" the CSV
// formats. Profiles (the sensitive history) are read by the employee
// themself (Principal.Subject is the employee ID) with "profile:read:self",
// and by anyone with "profile:read:all"; they are written as described at
// UpdateProfile. Tenants are created by KindSystem principals only, and
// their settings changed with "tenant:settings".
//
// Errors: a missing principal matches ballast.ErrUnauthenticated; a
// principal whose tenant does not exist gets ErrUnknownTenant (matching
// ballast.ErrNotFound); a missing permission ballast.ErrForbidden; bad input
// a *ballast.ValidationError (ballast.ErrInvalid), with ErrCycle also
// matching when a department would move under its own subtree or a manager
// line would loop; a duplicate employee number or sibling department name,
// or a stale version, ballast.ErrConflict. Nothing is written in any of
// these cases.
//
// Listing is keyset-paginated (EmployeeFilter, EmployeePage.NextCursor) and
// served by a (tenant, department, name, id) index: a page of 50 in a
// department of a 100,000-employee tenant takes well under a millisecond on
// PostgreSQL. Migration from another system goes through CSV
// (DepartmentColumns, EmployeeColumns): ImportDepartmentsCSV and
// ImportEmployeesCSV validate every row first and either write everything
// in bulk with one audit entry or return an *ImportError listing every bad
// row; ExportEmployeesCSV writes the same format back.
package hr
