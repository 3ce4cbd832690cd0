package api

import (
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
)

type roleGrant struct {
	Role   string `json:"role"`
	Reason string `json:"reason,omitempty"`
}

type permissionRule struct {
	Permission string `json:"permission"`
	// Effect is "allow" (default) or "deny".
	Effect access.Effect `json:"effect,omitempty"`
	Reason string        `json:"reason,omitempty"`
}

type reasonBody struct {
	Reason string `json:"reason,omitempty"`
}

// catalog is the built-in roles and the known permissions.
type catalog struct {
	Roles       []access.Role       `json:"roles"`
	Permissions []access.Permission `json:"permissions"`
}

func (s *server) myPermissions(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	perms, err := s.access.PermissionsOf(r.Context(), p.Subject)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(perms))
}

func (s *server) accessCatalog(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, catalog{Roles: access.Roles(), Permissions: access.Permissions()})
}

func (s *server) rolesOf(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.access.RolesOf(r.Context(), r.PathValue("subject"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(roles))
}

func (s *server) rulesOf(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.access.RulesOf(r.Context(), r.PathValue("subject"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(rules))
}

func (s *server) permissionsOf(w http.ResponseWriter, r *http.Request) error {
	perms, err := s.access.PermissionsOf(r.Context(), r.PathValue("subject"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(perms))
}

func (s *server) grantRole(w http.ResponseWriter, r *http.Request) error {
	var in roleGrant
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.access.GrantRole(r.Context(), r.PathValue("subject"), in.Role, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) revokeRole(w http.ResponseWriter, r *http.Request) error {
	if err := s.access.RevokeRole(r.Context(), r.PathValue("subject"), r.PathValue("role"), r.URL.Query().Get("reason")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) addPermissionRule(w http.ResponseWriter, r *http.Request) error {
	var in permissionRule
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var err error
	switch in.Effect {
	case "", access.Allow:
		err = s.access.GrantPermission(r.Context(), r.PathValue("subject"), in.Permission, in.Reason)
	case access.Deny:
		err = s.access.DenyPermission(r.Context(), r.PathValue("subject"), in.Permission, in.Reason)
	default:
		err = ballast.Invalid("effect", `must be "allow" or "deny"`)
	}
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) removePermissionRules(w http.ResponseWriter, r *http.Request) error {
	if err := s.access.RevokePermission(r.Context(), r.PathValue("subject"), r.PathValue("permission"), r.URL.Query().Get("reason")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) disableAccount(w http.ResponseWriter, r *http.Request) error {
	var in reasonBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.access.DisableAccount(r.Context(), r.PathValue("subject"), in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) enableAccount(w http.ResponseWriter, r *http.Request) error {
	var in reasonBody
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.access.EnableAccount(r.Context(), r.PathValue("subject"), in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// explain explains a decision for subject (default: the caller) in the
// caller's tenant.
func (s *server) explain(w http.ResponseWriter, r *http.Request) error {
	p, err := ballast.PrincipalFrom(r.Context())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	subject := q.Get("subject")
	if subject == "" {
		subject = p.Subject
	}
	d, err := s.access.Explain(r.Context(), p.Tenant, subject, q.Get("permission"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
