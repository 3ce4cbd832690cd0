package hr

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ballast-hr/ballast/audit"
)

// exportPage is how many employees an export reads per query.
const exportPage = 1000

// ExportEmployeesCSV writes every employee f selects (all pages; f.Cursor
// and f.Limit are ignored) to w in the format of EmployeeColumns, which
// ImportEmployeesCSV reads back, and returns the number of rows written
// (PermEmployeesExport). The export is audited with its row count and
// filter in the same transaction; if that fails the error is returned and
// the caller must discard what was written to w.
func (s *Service) ExportEmployeesCSV(ctx context.Context, w io.Writer, f EmployeeFilter) (int, error) {
	n := 0
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermEmployeesExport)
		if err != nil {
			return err
		}
		f.Cursor, f.Limit = "", 0
		q, err := f.query()
		if err != nil {
			return err
		}
		q.Limit = exportPage
		ds, err := s.store.Departments(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		paths, _ := departmentPaths(ds)
		ps, err := s.store.Positions(ctx, pr.Tenant, "")
		if err != nil {
			return err
		}
		titles := make(map[string]string, len(ps))
		for _, p := range ps {
			titles[p.ID] = p.Title
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(EmployeeColumns); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		numbers := map[string]string{} // employee ID → number, for managers and referrers
		for {
			es, err := s.store.ListEmployees(ctx, pr.Tenant, q)
			if err != nil {
				return err
			}
			if err := s.learnNumbers(ctx, pr.Tenant, es, numbers); err != nil {
				return err
			}
			for _, e := range es {
				rec := []string{e.Number, e.Name, e.Email, e.Phone, paths[e.DepartmentID], titles[e.PositionID],
					numbers[e.ManagerID], e.HireDate.String(), string(e.HireChannel), numbers[e.ReferrerID],
					string(e.Status), e.LastWorkingDay.String(), fmt.Sprint(e.KeyPerson)}
				if err := cw.Write(rec); err != nil {
					return fmt.Errorf("write csv: %w", err)
				}
			}
			n += len(es)
			if len(es) < q.Limit {
				break
			}
			last := es[len(es)-1]
			q.AfterKey, q.AfterID = last.Name, last.ID
			if q.OrderByNumber {
				q.AfterKey = last.Number
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		filter, _ := json.Marshal(f)
		_, err = s.audit.Append(ctx, audit.Record{Action: "hr.export.employees", TargetType: "tenant", TargetID: pr.Tenant,
			Reason: fmt.Sprintf("csv export: %d employees, filter %s", n, filter)})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("hr: export employees: %w", err)
	}
	return n, nil
}

// learnNumbers adds to numbers the employee numbers of es and of the
// managers and referrers they name, with one query for those not known yet.
func (s *Service) learnNumbers(ctx context.Context, tenant string, es []Employee, numbers map[string]string) error {
	for _, e := range es {
		numbers[e.ID] = e.Number
	}
	var unknown []string
	for _, e := range es {
		for _, id := range []string{e.ManagerID, e.ReferrerID} {
			if _, ok := numbers[id]; id != "" && !ok {
				numbers[id] = ""
				unknown = append(unknown, id)
			}
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	found, err := s.store.EmployeesByID(ctx, tenant, unknown)
	if err != nil {
		return err
	}
	for _, e := range found {
		numbers[e.ID] = e.Number
	}
	return nil
}

// ExportDepartmentsCSV writes every department to w in the format of
// DepartmentColumns, parents before children, and returns the number of
// rows written (PermEmployeesExport); audited like ExportEmployeesCSV.
func (s *Service) ExportDepartmentsCSV(ctx context.Context, w io.Writer) (int, error) {
	n := 0
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermEmployeesExport)
		if err != nil {
			return err
		}
		ds, err := s.store.Departments(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		heads := map[string]string{}
		var ids []string
		for _, d := range ds {
			if d.HeadID != "" {
				ids = append(ids, d.HeadID)
			}
		}
		es, err := s.store.EmployeesByID(ctx, pr.Tenant, ids)
		if err != nil {
			return err
		}
		for _, e := range es {
			heads[e.ID] = e.Number
		}
		cw := csv.NewWriter(w)
		if err := cw.Write(DepartmentColumns); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		counts := map[string]int{}
		var walk func(nodes []*DepartmentNode, prefix string) error
		walk = func(nodes []*DepartmentNode, prefix string) error {
			for _, nd := range nodes {
				path := prefix + nd.Name
				if err := cw.Write([]string{path, heads[nd.HeadID]}); err != nil {
					return fmt.Errorf("write csv: %w", err)
				}
				n++
				if err := walk(nd.Children, path+"/"); err != nil {
					return err
				}
			}
			return nil
		}
		if err := walk(buildTree(ds, counts), ""); err != nil {
			return err
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
		_, err = s.audit.Append(ctx, audit.Record{Action: "hr.export.departments", TargetType: "tenant",
			TargetID: pr.Tenant, Reason: fmt.Sprintf("csv export: %d departments", n)})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("hr: export departments: %w", err)
	}
	return n, nil
}
