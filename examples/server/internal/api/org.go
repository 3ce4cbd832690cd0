package api

import (
	"net/http"

	"github.com/ballast-hr/ballast/hr"
)

// The update bodies: the service's params plus the version read (the
// alternative to If-Match).
type (
	tenantUpdate struct {
		hr.TenantParams
		Version int64 `json:"version,omitempty"`
	}
	departmentUpdate struct {
		hr.DepartmentParams
		Version int64 `json:"version,omitempty"`
	}
	positionUpdate struct {
		hr.PositionParams
		Version int64 `json:"version,omitempty"`
	}
)

func (s *server) tenant(w http.ResponseWriter, r *http.Request) error {
	t, err := s.hr.Tenant(r.Context())
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t, t.Version)
}

func (s *server) updateTenant(w http.ResponseWriter, r *http.Request) error {
	var in tenantUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	t, err := s.hr.UpdateTenant(r.Context(), in.TenantParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, t, t.Version)
}

func (s *server) departments(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.hr.Departments(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(ds))
}

func (s *server) departmentTree(w http.ResponseWriter, r *http.Request) error {
	t, err := s.hr.DepartmentTree(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(t))
}

func (s *server) createDepartment(w http.ResponseWriter, r *http.Request) error {
	var in hr.DepartmentParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.hr.CreateDepartment(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/departments/"+d.ID)
	return writeVersioned(w, http.StatusCreated, d, d.Version)
}

func (s *server) department(w http.ResponseWriter, r *http.Request) error {
	d, err := s.hr.Department(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d, d.Version)
}

func (s *server) updateDepartment(w http.ResponseWriter, r *http.Request) error {
	var in departmentUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	d, err := s.hr.UpdateDepartment(r.Context(), r.PathValue("id"), in.DepartmentParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, d, d.Version)
}

func (s *server) deleteDepartment(w http.ResponseWriter, r *http.Request) error {
	v, err := version(r, nil)
	if err != nil {
		return err
	}
	if err := s.hr.DeleteDepartment(r.Context(), r.PathValue("id"), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) positions(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.hr.Positions(r.Context(), r.URL.Query().Get("department_id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(ps))
}

func (s *server) createPosition(w http.ResponseWriter, r *http.Request) error {
	var in hr.PositionParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.hr.CreatePosition(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/positions/"+p.ID)
	return writeVersioned(w, http.StatusCreated, p, p.Version)
}

func (s *server) position(w http.ResponseWriter, r *http.Request) error {
	p, err := s.hr.Position(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.Version)
}

func (s *server) updatePosition(w http.ResponseWriter, r *http.Request) error {
	var in positionUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	p, err := s.hr.UpdatePosition(r.Context(), r.PathValue("id"), in.PositionParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.Version)
}

func (s *server) deletePosition(w http.ResponseWriter, r *http.Request) error {
	v, err := version(r, nil)
	if err != nil {
		return err
	}
	if err := s.hr.DeletePosition(r.Context(), r.PathValue("id"), v); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
