package api

import (
	"io"
	"mime"
	"net/http"
)

// csvBody returns the CSV a request carries: a text/csv body, or the
// "file" part of a multipart/form-data upload (a browser form).
func csvBody(r *http.Request) (io.Reader, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "text/csv":
		return r.Body, nil
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			return nil, malformed("the multipart body is malformed: " + err.Error())
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil, malformed(`the multipart body has no "file" part`)
			}
			if err != nil {
				return nil, malformed("the multipart body is malformed: " + err.Error())
			}
			if part.FormName() == "file" {
				return part, nil
			}
		}
	default:
		return nil, &mediaTypeError{"the body must be text/csv or multipart/form-data with a \"file\" part"}
	}
}

func (s *server) importDepartments(w http.ResponseWriter, r *http.Request) error {
	body, err := csvBody(r)
	if err != nil {
		return err
	}
	rep, err := s.hr.ImportDepartmentsCSV(r.Context(), body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (s *server) importEmployees(w http.ResponseWriter, r *http.Request) error {
	body, err := csvBody(r)
	if err != nil {
		return err
	}
	rep, err := s.hr.ImportEmployeesCSV(r.Context(), body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func csvHeaders(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func (s *server) exportDepartments(w http.ResponseWriter, r *http.Request) error {
	csvHeaders(w, "departments.csv")
	_, err := s.hr.ExportDepartmentsCSV(r.Context(), w)
	return err
}

func (s *server) exportEmployees(w http.ResponseWriter, r *http.Request) error {
	f, err := employeeFilter(r)
	if err != nil {
		return err
	}
	csvHeaders(w, "employees.csv")
	_, err = s.hr.ExportEmployeesCSV(r.Context(), w, f)
	return err
}
