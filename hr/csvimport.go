package hr

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// ImportDepartmentsCSV imports departments from CSV in the format of
// DepartmentColumns (PermEmployeesImport). It is all or nothing: every row
// is validated first, and any problem gives an *ImportError (matching
// ballast.ErrInvalid) listing every bad row, with nothing written.
// Otherwise all departments are inserted in bulk in one transaction with
// one audit entry. A path that exists already is an error.
func (s *Service) ImportDepartmentsCSV(ctx context.Context, r io.Reader) (ImportReport, error) {
	var report ImportReport
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermEmployeesImport)
		if err != nil {
			return err
		}
		var ie ImportError
		rows, err := readCSV(r, DepartmentColumns, []string{"path"}, &ie)
		if err != nil {
			return err
		}
		existing, err := s.store.Departments(ctx, pr.Tenant)
		if err != nil {
			return err
		}
		_, idOf := departmentPaths(existing)
		heads, err := s.numbersToIDs(ctx, pr.Tenant, rows, "head")
		if err != nil {
			return err
		}
		inFile := make(map[string]int, len(rows)) // path → line
		type newDept struct {
			line  int
			segs  []string
			path  string
			head  string
			depth int
		}
		var news []newDept
		for _, row := range rows {
			segs := splitPath(row.get("path"))
			path := strings.Join(segs, "/")
			bad := false
			for _, seg := range segs {
				var v ballast.ValidationError
				text(&v, "path", seg, true, maxName)
				switch {
				case seg == "":
					ie.add(row.line, "path", "is empty or has an empty segment")
				case len(v.Fields) > 0:
					ie.add(row.line, "path", "segment "+seg+" "+v.Fields[0].Message)
				default:
					continue
				}
				bad = true
				break
			}
			if bad {
				continue
			}
			if first, ok := inFile[path]; ok {
				ie.add(row.line, "path", fmt.Sprintf("repeats line %d", first))
				continue
			}
			inFile[path] = row.line
			if _, ok := idOf[path]; ok {
				ie.add(row.line, "path", "exists already")
				continue
			}
			d := newDept{line: row.line, segs: segs, path: path, depth: len(segs)}
			if n := row.get("head"); n != "" {
				if d.head = heads[n]; d.head == "" {
					ie.add(row.line, "head", fmt.Sprintf("employee %s does not exist", n))
				}
			}
			news = append(news, d)
		}
		for _, d := range news {
			if len(d.segs) > 1 {
				parent := strings.Join(d.segs[:len(d.segs)-1], "/")
				if _, ok := idOf[parent]; !ok && inFile[parent] == 0 {
					ie.add(d.line, "path", "parent "+parent+" does not exist")
				}
			}
		}
		if err := ie.err(); err != nil {
			slices.SortStableFunc(ie.Rows, func(a, b RowError) int { return a.Line - b.Line })
			return err
		}
		// Parents first: the parent reference is checked per statement.
		slices.SortStableFunc(news, func(a, b newDept) int { return a.depth - b.depth })
		now := s.now()
		ds := make([]Department, 0, len(news))
		for _, d := range news {
			id := ballast.NewID()
			idOf[d.path] = id
			parent := ""
			if len(d.segs) > 1 {
				parent = idOf[strings.Join(d.segs[:len(d.segs)-1], "/")]
			}
			ds = append(ds, Department{ID: id, Name: d.segs[len(d.segs)-1], ParentID: parent, HeadID: d.head,
				CreatedAt: now, UpdatedAt: now, Version: 1})
		}
		if err := s.store.InsertDepartments(ctx, pr.Tenant, ds); err != nil {
			return err
		}
		report.Departments = len(ds)
		return s.recordImport(ctx, "hr.import.departments", pr.Tenant, report)
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("hr: import departments: %w", err)
	}
	return report, nil
}

// recordImport appends the one audit entry of an import: its counts.
func (s *Service) recordImport(ctx context.Context, action, tenant string, r ImportReport) error {
	_, err := s.audit.Append(ctx, audit.Record{Action: action, TargetType: "tenant", TargetID: tenant,
		Reason: fmt.Sprintf("csv import: %d departments, %d employees", r.Departments, r.Employees)})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// numbersToIDs looks up the existing employees whose numbers appear in
// column col of rows, in batches, and maps number → ID.
func (s *Service) numbersToIDs(ctx context.Context, tenant string, rows []csvRow, cols ...string) (map[string]string, error) {
	seen := map[string]bool{}
	var numbers []string
	for _, r := range rows {
		for _, c := range cols {
			if n := r.get(c); n != "" && !seen[n] {
				seen[n] = true
				numbers = append(numbers, n)
			}
		}
	}
	es, err := s.store.EmployeesByNumber(ctx, tenant, numbers)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(es))
	for _, e := range es {
		out[e.Number] = e.ID
	}
	return out, nil
}

// employeeColumn maps EmployeeParams validation fields to CSV columns.
var employeeColumn = map[string]string{
	"department_id": "department", "position_id": "position", "manager_id": "manager", "referrer_id": "referrer",
}

// ImportEmployeesCSV imports employees from CSV in the format of
// EmployeeColumns (PermEmployeesImport). It is all or nothing: every row is
// validated first (the rules of EmployeeParams, plus: departments by path,
// positions by title, managers and referrers by number, existing or in the
// same file; no number twice; no management loop), and any problem gives
// an *ImportError (matching ballast.ErrInvalid) listing every bad row, with
// nothing written. Otherwise all employees are inserted with multi-row
// statements in one transaction, with one audit entry holding the counts.
func (s *Service) ImportEmployeesCSV(ctx context.Context, r io.Reader) (ImportReport, error) {
	var report ImportReport
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, PermEmployeesImport)
		if err != nil {
			return err
		}
		var ie ImportError
		rows, err := readCSV(r, EmployeeColumns, requiredEmployeeColumns, &ie)
		if err != nil {
			return err
		}
		refs, err := s.importRefs(ctx, pr.Tenant, rows)
		if err != nil {
			return err
		}
		es := refs.resolve(rows, &ie)
		if err := ie.err(); err != nil {
			slices.SortStableFunc(ie.Rows, func(a, b RowError) int { return a.Line - b.Line })
			return err
		}
		now := s.now()
		for i := range es {
			es[i].CreatedAt, es[i].UpdatedAt, es[i].Version = now, now, 1
		}
		if err := s.store.InsertEmployees(ctx, pr.Tenant, es); err != nil {
			return err
		}
		report.Employees = len(es)
		return s.recordImport(ctx, "hr.import.employees", pr.Tenant, report)
	})
	if err != nil {
		return ImportReport{}, fmt.Errorf("hr: import employees: %w", err)
	}
	return report, nil
}

// importRefs is what an employee import resolves names against.
type importRefs struct {
	departments map[string]string            // path → ID
	positions   map[string]map[string]string // department ID → title → position ID
	titles      map[string][]string          // title → position IDs tenant-wide
	existing    map[string]string            // number → ID of employees already stored
}

func (s *Service) importRefs(ctx context.Context, tenant string, rows []csvRow) (importRefs, error) {
	var ir importRefs
	ds, err := s.store.Departments(ctx, tenant)
	if err != nil {
		return ir, err
	}
	_, ir.departments = departmentPaths(ds)
	ps, err := s.store.Positions(ctx, tenant, "")
	if err != nil {
		return ir, err
	}
	ir.positions, ir.titles = map[string]map[string]string{}, map[string][]string{}
	for _, p := range ps {
		if ir.positions[p.DepartmentID] == nil {
			ir.positions[p.DepartmentID] = map[string]string{}
		}
		ir.positions[p.DepartmentID][p.Title] = p.ID
		ir.titles[p.Title] = append(ir.titles[p.Title], p.ID)
	}
	ir.existing, err = s.numbersToIDs(ctx, tenant, rows, "number", "manager", "referrer")
	return ir, err
}

// resolve turns rows into employees, adding every problem to ie.
func (ir importRefs) resolve(rows []csvRow, ie *ImportError) []Employee {
	fileIDs := make(map[string]string, len(rows)) // number → new ID
	firstLine := make(map[string]int, len(rows))
	for _, row := range rows {
		n := row.get("number")
		if n == "" {
			continue
		}
		if l, ok := firstLine[n]; ok {
			ie.add(row.line, "number", fmt.Sprintf("repeats line %d", l))
			continue
		}
		firstLine[n] = row.line
		if _, ok := ir.existing[n]; ok {
			ie.add(row.line, "number", "is taken by an existing employee")
			continue
		}
		fileIDs[n] = ballast.NewID()
	}
	byNumber := func(n string) string {
		if id, ok := fileIDs[n]; ok {
			return id
		}
		return ir.existing[n]
	}
	es := make([]Employee, 0, len(rows))
	lines := make(map[string]int, len(rows)) // new ID → line
	for _, row := range rows {
		bad := map[string]bool{}
		fail := func(col, reason string) {
			if !bad[col] {
				bad[col] = true
				ie.add(row.line, col, reason)
			}
		}
		p := EmployeeParams{Number: row.get("number"), Name: row.get("name"), Email: row.get("email"),
			Phone: row.get("phone"), HireChannel: HireChannel(row.get("hire_channel")), Status: Status(row.get("status"))}
		if p.Status == "" {
			p.Status = StatusActive
		}
		if path := row.get("department"); path != "" {
			if p.DepartmentID = ir.departments[strings.Join(splitPath(path), "/")]; p.DepartmentID == "" {
				fail("department", "department "+path+" does not exist")
			}
		}
		if title := row.get("position"); title != "" {
			p.PositionID = ir.positions[p.DepartmentID][title]
			if p.PositionID == "" {
				switch ids := ir.titles[title]; len(ids) {
				case 1:
					p.PositionID = ids[0]
				case 0:
					fail("position", "position "+title+" does not exist")
				default:
					fail("position", "position "+title+" exists in several departments, none of them the employee's")
				}
			}
		}
		for _, c := range []struct {
			col string
			id  *string
		}{{"manager", &p.ManagerID}, {"referrer", &p.ReferrerID}} {
			n := row.get(c.col)
			if n == "" {
				continue
			}
			switch *c.id = byNumber(n); {
			case *c.id == "":
				fail(c.col, fmt.Sprintf("employee %s does not exist", n))
			case n == p.Number:
				fail(c.col, "is the employee")
			}
		}
		var err error
		if p.HireDate, err = ParseDate(row.get("hire_date")); err != nil {
			fail("hire_date", "is not YYYY-MM-DD")
		}
		if p.LastWorkingDay, err = ParseDate(row.get("last_working_day")); err != nil {
			fail("last_working_day", "is not YYYY-MM-DD")
		}
		var ok bool
		if p.KeyPerson, ok = parseBool(row.get("key_person")); !ok {
			fail("key_person", "is not true or false")
		}
		var v ballast.ValidationError
		employeeFields(&v, p)
		for _, f := range v.Fields {
			col := f.Field
			if c, ok := employeeColumn[col]; ok {
				col = c
			}
			fail(col, f.Message)
		}
		id := fileIDs[p.Number]
		if id == "" || len(bad) > 0 {
			continue
		}
		lines[id] = row.line
		es = append(es, employeeFrom(id, p))
	}
	managementLoops(es, lines, ie)
	return es
}

// managementLoops reports the new employees whose manager line loops. Only
// new employees can be on a loop: a stored one never reports to a new one.
func managementLoops(es []Employee, lines map[string]int, ie *ImportError) {
	manager := make(map[string]string, len(es))
	for _, e := range es {
		manager[e.ID] = e.ManagerID
	}
	const (
		unseen = iota
		walking
		done
	)
	state := make(map[string]int, len(es))
	for _, e := range es {
		var path []string
		cur := e.ID
		for state[cur] == unseen {
			if _, isNew := manager[cur]; !isNew {
				break
			}
			state[cur] = walking
			path = append(path, cur)
			cur = manager[cur]
		}
		if state[cur] == walking { // cur closes a loop: report its members
			for i := slices.Index(path, cur); i < len(path); i++ {
				ie.add(lines[path[i]], "manager", "forms a management loop")
			}
		}
		for _, id := range path {
			state[id] = done
		}
	}
}
