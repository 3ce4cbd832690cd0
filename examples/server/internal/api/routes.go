package api

import (
	"net/http"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
)

// route is one API operation: it registers its handler on the ServeMux
// and describes itself in the OpenAPI document.
type route struct {
	method  string // GET, POST, PUT, PATCH, DELETE
	path    string // a net/http pattern path, "/api/employees/{id}"
	tag     string // OpenAPI tag (section)
	summary string
	public  bool // served without a principal

	query    []param // query parameters
	ifMatch  bool    // takes the version read as If-Match
	in       any     // JSON request body (a zero value of its type), or nil
	inCSV    bool    // takes a text/csv (or multipart "file") body
	out      any     // JSON response body (a zero value of its type), or nil for none
	outMedia string  // answers this media type (a stream), instead of out
	status   int     // success status; 0 means 200
	errors   []int   // the problem statuses it can answer besides 401 and 500

	handle func(w http.ResponseWriter, r *http.Request) error
}

// param is a query parameter.
type param struct {
	name, typ, desc string // typ: "string", "integer", "boolean"
}

// Streamed media types.
const (
	mediaCSV    = "text/csv"
	mediaNDJSON = "application/x-ndjson"
)

func (rt route) pattern() string { return rt.method + " " + rt.path }

func (rt route) successStatus() int {
	if rt.status == 0 {
		return http.StatusOK
	}
	return rt.status
}

// Error statuses shared by many routes.
var (
	errsRead  = []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound}
	errsWrite = []int{http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}
	employeeQ = []param{
		{"department_id", "string", "only employees of this department"},
		{"include_subdepartments", "boolean", "widen department_id to its whole subtree"},
		{"status", "string", "active, resigning or departed"},
		{"q", "string", "name or number contains this text"},
		{"order", "string", "name (default) or number"},
		{"cursor", "string", "next_cursor of the previous page"},
		{"limit", "integer", "page size, default 50, at most 500"},
	}
	versionQ = []param{{"version", "integer", "the version read (alternative to If-Match)"}}
)

// routes is the API: every operation, in the order of the document.
func (s *server) routes() []route {
	rts := []route{
		// Session.
		{method: "POST", path: "/api/login", tag: "session", summary: "Sign in with a login and password; sets the session cookie and returns the token for bearer use",
			public: true, in: loginRequest{}, out: loginResponse{}, errors: []int{http.StatusBadRequest, http.StatusUnsupportedMediaType, http.StatusTooManyRequests}, handle: s.login},
		{method: "POST", path: "/api/logout", tag: "session", summary: "End the session (cookie or bearer token) and clear the cookie",
			public: true, status: http.StatusNoContent, handle: s.logout},
		{method: "GET", path: "/api/me", tag: "session", summary: "Who is signed in",
			out: me{}, handle: s.me},
		{method: "POST", path: "/api/tokens", tag: "session", summary: "Issue an API token (bearer) for the signed-in user",
			in: tokenRequest{}, out: tokenResponse{}, status: http.StatusCreated, errors: errsWrite, handle: s.issueToken},

		// Tenant.
		{method: "GET", path: "/api/tenant", tag: "org", summary: "The signed-in user's tenant",
			out: hr.Tenant{}, errors: errsRead, handle: s.tenant},
		{method: "PUT", path: "/api/tenant", tag: "org", summary: "Change the tenant's name, time zone and locale (org:write)",
			ifMatch: true, in: tenantUpdate{}, out: hr.Tenant{}, errors: errsWrite, handle: s.updateTenant},

		// Departments.
		{method: "GET", path: "/api/departments", tag: "org", summary: "Every department, by name (employees:read)",
			out: []hr.Department{}, errors: errsRead, handle: s.departments},
		{method: "GET", path: "/api/departments/tree", tag: "org", summary: "The department tree with headcounts (employees:read)",
			out: []*hr.DepartmentNode{}, errors: errsRead, handle: s.departmentTree},
		{method: "POST", path: "/api/departments", tag: "org", summary: "Create a department (org:write)",
			in: hr.DepartmentParams{}, out: hr.Department{}, status: http.StatusCreated, errors: errsWrite, handle: s.createDepartment},
		{method: "GET", path: "/api/departments/{id}", tag: "org", summary: "One department (employees:read)",
			out: hr.Department{}, errors: errsRead, handle: s.department},
		{method: "PUT", path: "/api/departments/{id}", tag: "org", summary: "Rename, move or change the head of a department (org:write)",
			ifMatch: true, in: departmentUpdate{}, out: hr.Department{}, errors: errsWrite, handle: s.updateDepartment},
		{method: "DELETE", path: "/api/departments/{id}", tag: "org", summary: "Delete an empty department (org:write)",
			ifMatch: true, query: versionQ, status: http.StatusNoContent, errors: errsWrite, handle: s.deleteDepartment},

		// Positions.
		{method: "GET", path: "/api/positions", tag: "org", summary: "Positions, of one department or all (employees:read)",
			query: []param{{"department_id", "string", "only positions of this department"}}, out: []hr.Position{}, errors: errsRead, handle: s.positions},
		{method: "POST", path: "/api/positions", tag: "org", summary: "Create a position (org:write)",
			in: hr.PositionParams{}, out: hr.Position{}, status: http.StatusCreated, errors: errsWrite, handle: s.createPosition},
		{method: "GET", path: "/api/positions/{id}", tag: "org", summary: "One position (employees:read)",
			out: hr.Position{}, errors: errsRead, handle: s.position},
		{method: "PUT", path: "/api/positions/{id}", tag: "org", summary: "Change a position (org:write)",
			ifMatch: true, in: positionUpdate{}, out: hr.Position{}, errors: errsWrite, handle: s.updatePosition},
		{method: "DELETE", path: "/api/positions/{id}", tag: "org", summary: "Delete a position nobody holds (org:write)",
			ifMatch: true, query: versionQ, status: http.StatusNoContent, errors: errsWrite, handle: s.deletePosition},

		// Employees.
		{method: "GET", path: "/api/employees", tag: "employees", summary: "One page of the directory (employees:read)",
			query: employeeQ, out: hr.EmployeePage{}, errors: errsRead, handle: s.listEmployees},
		{method: "POST", path: "/api/employees", tag: "employees", summary: "Hire an employee (employees:write)",
			in: hr.EmployeeParams{}, out: hr.Employee{}, status: http.StatusCreated, errors: errsWrite, handle: s.hireEmployee},
		{method: "GET", path: "/api/employees/{id}", tag: "employees", summary: "One employee's directory record (employees:read)",
			out: hr.Employee{}, errors: errsRead, handle: s.employee},
		{method: "GET", path: "/api/employee-numbers/{number}", tag: "employees", summary: "The employee with this employee number (employees:read)",
			out: hr.Employee{}, errors: errsRead, handle: s.employeeByNumber},
		{method: "PUT", path: "/api/employees/{id}", tag: "employees", summary: "Replace an employee's record (employees:write); send the version read",
			ifMatch: true, in: employeeUpdate{}, out: hr.Employee{}, errors: errsWrite, handle: s.updateEmployee},
		{method: "GET", path: "/api/employees/{id}/referrals", tag: "employees", summary: "The employees this one referred (employees:read:all)",
			out: []hr.Employee{}, errors: errsRead, handle: s.referrals},
		{method: "GET", path: "/api/employees/{id}/profile", tag: "profiles", summary: "An employee's full profile: one's own, or anyone's with employees:read:all",
			out: hr.Profile{}, errors: errsRead, handle: s.profile},
		{method: "PATCH", path: "/api/employees/{id}/profile", tag: "profiles", summary: "Replace sections of a profile: self-service sections (profile:write:self) or all (profile:write:hr)",
			ifMatch: true, in: hr.ProfileUpdate{}, out: hr.Profile{}, errors: errsWrite, handle: s.updateProfile},

		// CSV.
		{method: "POST", path: "/api/import/departments", tag: "csv", summary: "Import departments from CSV, all or nothing (employees:import)",
			inCSV: true, out: hr.ImportReport{}, errors: errsWrite, handle: s.importDepartments},
		{method: "POST", path: "/api/import/employees", tag: "csv", summary: "Import employees from CSV, all or nothing; a 400 lists every bad row (employees:import)",
			inCSV: true, out: hr.ImportReport{}, errors: errsWrite, handle: s.importEmployees},
		{method: "GET", path: "/api/export/departments", tag: "csv", summary: "Export every department as CSV in the import format (employees:export)",
			outMedia: mediaCSV, errors: errsRead, handle: s.exportDepartments},
		{method: "GET", path: "/api/export/employees", tag: "csv", summary: "Export the selected employees as CSV in the import format (employees:export)",
			query: employeeQ[:4], outMedia: mediaCSV, errors: errsRead, handle: s.exportEmployees},

		// Access.
		{method: "GET", path: "/api/me/permissions", tag: "access", summary: "The permissions the signed-in user holds",
			out: []string{}, errors: errsRead, handle: s.myPermissions},
		{method: "GET", path: "/api/access/catalog", tag: "access", summary: "The built-in roles and the known permissions",
			out: catalog{}, handle: s.accessCatalog},
		{method: "GET", path: "/api/access/explain", tag: "access", summary: "Explain a decision: which roles and rules allow or deny a permission (one's own, or anyone's with access:manage)",
			query: []param{{"permission", "string", "the permission, such as employees:read:all"}, {"subject", "string", "whose decision (default: the caller)"}},
			out:   access.Decision{}, errors: errsRead, handle: s.explain},
		{method: "GET", path: "/api/access/subjects/{subject}/roles", tag: "access", summary: "The roles a subject holds (one's own, or anyone's with access:manage)",
			out: []string{}, errors: errsRead, handle: s.rolesOf},
		{method: "POST", path: "/api/access/subjects/{subject}/roles", tag: "access", summary: "Grant a built-in role (access:manage); audited with the reason",
			in: roleGrant{}, status: http.StatusNoContent, errors: errsWrite, handle: s.grantRole},
		{method: "DELETE", path: "/api/access/subjects/{subject}/roles/{role}", tag: "access", summary: "Revoke a role (access:manage); audited with the reason",
			query: []param{{"reason", "string", "why, for the audit log"}}, status: http.StatusNoContent, errors: errsWrite, handle: s.revokeRole},
		{method: "GET", path: "/api/access/subjects/{subject}/rules", tag: "access", summary: "Every role assignment and direct rule of a subject",
			out: []access.Rule{}, errors: errsRead, handle: s.rulesOf},
		{method: "GET", path: "/api/access/subjects/{subject}/permissions", tag: "access", summary: "The permissions a subject effectively holds",
			out: []string{}, errors: errsRead, handle: s.permissionsOf},
		{method: "POST", path: "/api/access/subjects/{subject}/permissions", tag: "access", summary: "Allow or deny one permission directly (access:manage); deny overrides allow",
			in: permissionRule{}, status: http.StatusNoContent, errors: errsWrite, handle: s.addPermissionRule},
		{method: "DELETE", path: "/api/access/subjects/{subject}/permissions/{permission}", tag: "access", summary: "Remove the direct allow and deny rules for a permission (access:manage)",
			query: []param{{"reason", "string", "why, for the audit log"}}, status: http.StatusNoContent, errors: errsWrite, handle: s.removePermissionRules},
		{method: "POST", path: "/api/access/subjects/{subject}/disable", tag: "access", summary: "Disable an account: every permission refused until enabled (access:manage)",
			in: reasonBody{}, status: http.StatusNoContent, errors: errsWrite, handle: s.disableAccount},
		{method: "POST", path: "/api/access/subjects/{subject}/enable", tag: "access", summary: "Enable a disabled account again (access:manage)",
			in: reasonBody{}, status: http.StatusNoContent, errors: errsWrite, handle: s.enableAccount},

		// Audit.
		{method: "GET", path: "/api/audit/entries", tag: "audit", summary: "Audit entries of the tenant, newest first (audit:read)",
			query: auditQ, out: []audit.Entry{}, errors: errsRead, handle: s.auditEntries},
		{method: "GET", path: "/api/audit/verify", tag: "audit", summary: "Verify the tenant's hash chain; names the first altered, deleted or reordered entry (audit:read)",
			out: verifyResult{}, errors: errsRead, handle: s.auditVerify},
		{method: "GET", path: "/api/audit/export", tag: "audit", summary: "Export a self-verifying evidence bundle (JSON lines, oldest first, closed by the chain head) (audit:read)",
			query: auditQ, outMedia: mediaNDJSON, errors: errsRead, handle: s.auditExport},
	}
	for _, more := range [][]route{s.customerRoutes(), s.assetRoutes(), s.channelRoutes(), s.feedbackRoutes(), s.insightRoutes(),
		s.revocationRoutes(), s.offboardingRoutes(), s.assessmentRoutes(), s.multiraterRoutes(), s.appealRoutes()} {
		rts = append(rts, more...)
	}
	return rts
}
