package access

import (
	"slices"
	"strings"
)

// The built-in roles every tenant gets from SeedTenant.
const (
	RoleTenantAdmin    = "tenant_admin"
	RoleHR             = "hr"
	RoleDepartmentHead = "department_head"
	RoleEmployee       = "employee"
)

// Role is a built-in role: a named set of permissions, plus the roles it
// inherits (their permissions come with it).
type Role struct {
	// Name is the role's identifier, for example "hr".
	Name string `json:"name"`
	// Title is a short English label; the UI translates by Name.
	Title string `json:"title"`
	// Inherits lists roles whose permissions this role also holds.
	Inherits []string `json:"inherits,omitempty"`
	// Permissions are the role's own permissions; "*" means every one.
	Permissions []string `json:"permissions"`
}

// Permission describes one permission for the UI.
type Permission struct {
	// Name is the permission string, "resource:action" or
	// "resource:action:scope".
	Name string `json:"name"`
	// Description says in English what it allows.
	Description string `json:"description"`
}

// Roles returns the built-in roles with their permissions (a fresh copy the
// caller may keep), in order from most to least powerful.
func Roles() []Role {
	return []Role{
		{
			Name:        RoleTenantAdmin,
			Title:       "Tenant administrator",
			Permissions: []string{AllPermissions},
		},
		{
			Name:     RoleHR,
			Title:    "HR",
			Inherits: []string{RoleEmployee},
			Permissions: []string{
				"employees:read:all", "employees:write", "employees:import", "employees:export",
				"org:write", "profile:read:all", "profile:write:hr", "audit:read",
				"customers:read:all", "customers:export", "customers:transfer",
				"assets:read:all", "assets:write", "channel:manage", "feedback:read",
				"offboarding:manage", "talent:manage", "assessment:manage", "analytics:read",
			},
		},
		{
			Name:     RoleDepartmentHead,
			Title:    "Department head",
			Inherits: []string{RoleEmployee},
			Permissions: []string{
				"employees:read:department", "profile:read:department",
				"customers:read:department", "assets:read:department",
				"offboarding:approve:department", "assessment:score:department",
				"talent:read:department", "talent:write:department", "analytics:read:department",
			},
		},
		{
			Name:  RoleEmployee,
			Title: "Employee",
			Permissions: []string{
				"employees:read", "org:read", "profile:read:self", "profile:write:self",
				"customers:read", "customers:read:key", "customers:write", "assets:read", "channel:read",
				"channel:post", "feedback:submit", "assessment:self", "talent:read", "talent:self",
			},
		},
	}
}

// RoleByName returns the built-in role called name.
func RoleByName(name string) (Role, bool) {
	for _, r := range Roles() {
		if r.Name == name {
			return r, true
		}
	}
	return Role{}, false
}

// Permissions returns the permissions the core packages check, with a
// description for the UI, sorted by name.
func Permissions() []Permission {
	ps := []Permission{
		{"access:manage", "grant and revoke roles and permissions, disable accounts"},
		{"tenant:settings", "change the tenant's settings"},
		{"audit:read", "read and export the audit log"},
		{"org:read", "see the department tree and positions"},
		{"org:write", "change departments and positions"},
		{"employees:read", "see the employee directory"},
		{"employees:read:department", "see full records of employees in departments one heads"},
		{"employees:read:all", "see full records of every employee"},
		{"employees:write", "hire, change and end employees"},
		{"employees:import", "import employees and departments from CSV"},
		{"employees:export", "export employees as CSV"},
		{"profile:read:self", "see one's own profile"},
		{"profile:read:department", "see profiles in departments one heads"},
		{"profile:read:all", "see every employee's profile"},
		{"profile:write:self", "maintain the self-service fields of one's own profile"},
		{"profile:write:hr", "change the HR-only fields of any profile"},
		{"customers:read", "see the customers one owns"},
		{"customers:read:key", "see key-account customers one may otherwise see"},
		{"customers:read:department", "see customers owned in departments one heads"},
		{"customers:read:all", "see every customer record"},
		{"customers:write", "maintain the customers one owns"},
		{"customers:transfer", "transfer customers between owners"},
		{"customers:export", "export customer records"},
		{"assets:read", "see the company assets issued to oneself"},
		{"assets:read:department", "see assets issued in departments one heads"},
		{"assets:read:all", "see every issued asset"},
		{"assets:write", "issue and take back company assets"},
		{"channel:read", "read announcements and Q&A"},
		{"channel:post", "ask questions and send feedback to HR"},
		{"channel:manage", "publish announcements and answer questions"},
		{"feedback:submit", "send anonymous feedback"},
		{"feedback:read", "read anonymous feedback"},
		{"offboarding:manage", "run offboarding cases"},
		{"offboarding:approve:department", "approve handovers in departments one heads"},
		{"assessment:self", "fill in one's own self-evaluation"},
		{"assessment:score:department", "score reviews in departments one heads"},
		{"assessment:manage", "run review cycles and decide appeals"},
		{"talent:read", "see one's own development plan and training"},
		{"talent:read:department", "see talent data of departments one heads"},
		{"talent:write:department", "edit the department's job descriptions and development plans, review its candidates"},
		{"talent:self", "enrol in training, keep one's mentorship log and plan evidence"},
		{"talent:manage", "manage training, talent pools and succession"},
		{"analytics:read", "see tenant-wide analytics"},
		{"analytics:read:department", "see analytics of departments one heads"},
	}
	slices.SortFunc(ps, func(a, b Permission) int { return strings.Compare(a.Name, b.Name) })
	return ps
}

// roleRules returns the policy rows that define the built-in roles in
// tenant: one "p" row per role permission and one "g" row per inheritance.
func roleRules(tenant string) (ps, gs [][]string) {
	for _, r := range Roles() {
		for _, perm := range r.Permissions {
			ps = append(ps, []string{rolePrefix + r.Name, tenant, perm, string(Allow)})
		}
		for _, parent := range r.Inherits {
			gs = append(gs, []string{rolePrefix + r.Name, rolePrefix + parent, tenant})
		}
	}
	return ps, gs
}
