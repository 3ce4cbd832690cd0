package api

import (
	"net/http"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// employeeUpdate is hr.EmployeeParams plus the version read (the
// alternative to If-Match).
type employeeUpdate struct {
	hr.EmployeeParams
	Version int64 `json:"version,omitempty"`
}

// employeeFilter reads the listing's query parameters.
func employeeFilter(r *http.Request) (hr.EmployeeFilter, error) {
	var v ballast.ValidationError
	q := r.URL.Query()
	f := hr.EmployeeFilter{
		DepartmentID:          q.Get("department_id"),
		IncludeSubdepartments: queryBool(r, "include_subdepartments", &v),
		Status:                hr.Status(q.Get("status")),
		Query:                 q.Get("q"),
		Order:                 hr.EmployeeOrder(q.Get("order")),
		Cursor:                q.Get("cursor"),
		Limit:                 queryInt(r, "limit", &v),
	}
	return f, v.Err()
}

func (s *server) listEmployees(w http.ResponseWriter, r *http.Request) error {
	f, err := employeeFilter(r)
	if err != nil {
		return err
	}
	page, err := s.hr.ListEmployees(r.Context(), f)
	if err != nil {
		return err
	}
	page.Employees = nonNil(page.Employees)
	return writeJSON(w, http.StatusOK, page)
}

func (s *server) hireEmployee(w http.ResponseWriter, r *http.Request) error {
	var in hr.EmployeeParams
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e, err := s.hr.HireEmployee(r.Context(), in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/employees/"+e.ID)
	return writeVersioned(w, http.StatusCreated, e, e.Version)
}

func (s *server) employee(w http.ResponseWriter, r *http.Request) error {
	e, err := s.hr.Employee(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, e, e.Version)
}

func (s *server) employeeByNumber(w http.ResponseWriter, r *http.Request) error {
	e, err := s.hr.EmployeeByNumber(r.Context(), r.PathValue("number"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, e, e.Version)
}

func (s *server) updateEmployee(w http.ResponseWriter, r *http.Request) error {
	var in employeeUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v, err := version(r, &in.Version)
	if err != nil {
		return err
	}
	e, err := s.hr.UpdateEmployee(r.Context(), r.PathValue("id"), in.EmployeeParams, v)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, e, e.Version)
}

func (s *server) referrals(w http.ResponseWriter, r *http.Request) error {
	es, err := s.hr.Referrals(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, nonNil(es))
}

func (s *server) profile(w http.ResponseWriter, r *http.Request) error {
	p, err := s.hr.Profile(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.Version)
}

// updateProfile takes the profile version from If-Match when sent, else
// from the body's version field (0 for a profile never written).
func (s *server) updateProfile(w http.ResponseWriter, r *http.Request) error {
	var in hr.ProfileUpdate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if r.Header.Get("If-Match") != "" {
		v, err := version(r, nil)
		if err != nil {
			return err
		}
		in.Version = v
	}
	p, err := s.hr.UpdateProfile(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.Version)
}
