package hr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The columns of the department CSV format (import and export):
//
//	path   the department's path from its root, segments joined by "/",
//	       for example "Acme/Sales/East" (required; the parent path must
//	       exist already or appear elsewhere in the file)
//	head   the employee number of the department's head (optional; the
//	       employee must already exist)
var DepartmentColumns = []string{"path", "head"}

// The columns of the employee CSV format (import and export), in the order
// ExportEmployeesCSV writes them. An import may give them in any order and
// leave out the optional ones; number, name, department, hire_date and
// hire_channel are required.
//
//	number            employee number, unique in the tenant
//	name, email, phone
//	department        department path, as in DepartmentColumns
//	position          title of a position, looked up in the employee's
//	                  department first, then in the whole tenant
//	manager           employee number of the manager (existing, or a row
//	                  of the same file, before or after)
//	hire_date         YYYY-MM-DD
//	hire_channel      campus | experienced | referral | agency | internal_transfer
//	referrer          employee number of the referrer (as manager)
//	status            active (default) | resigning | departed
//	last_working_day  YYYY-MM-DD
//	key_person        true/false (also 1/0, yes/no; empty is false)
var EmployeeColumns = []string{"number", "name", "email", "phone", "department", "position", "manager",
	"hire_date", "hire_channel", "referrer", "status", "last_working_day", "key_person"}

var requiredEmployeeColumns = []string{"number", "name", "department", "hire_date", "hire_channel"}

// maxImportRows bounds one import, so a runaway file cannot exhaust memory.
const maxImportRows = 200_000

// csvRow is one data row: its line and its cells by column name.
type csvRow struct {
	line  int
	cells map[string]string
}

func (r csvRow) get(col string) string { return strings.TrimSpace(r.cells[col]) }

// readCSV reads a whole CSV file with a header row naming columns among
// known. Problems with the file's shape are added to ie.
func readCSV(r io.Reader, known, required []string, ie *ImportError) ([]csvRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		ie.add(1, "", "the file is empty; it needs a header row")
		return nil, nil
	}
	if err != nil {
		return nil, csvProblem(err, ie)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !slices.Contains(known, h):
			ie.add(1, h, "is not a known column (known: "+strings.Join(known, ", ")+")")
		case slices.Contains(cols[:i], h):
			ie.add(1, h, "appears twice")
		}
		cols[i] = h
	}
	for _, c := range required {
		if !slices.Contains(cols, c) {
			ie.add(1, c, "is a required column")
		}
	}
	if len(ie.Rows) > 0 {
		return nil, nil
	}
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvProblem(err, ie)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) > len(cols) {
			ie.add(line, "", fmt.Sprintf("has %d fields, the header %d", len(rec), len(cols)))
			continue
		}
		if len(rows) == maxImportRows {
			ie.add(line, "", fmt.Sprintf("the file has more than %d rows; split it", maxImportRows))
			return nil, nil
		}
		cells := make(map[string]string, len(cols))
		for i, c := range cols {
			if i < len(rec) { // missing trailing cells are empty
				cells[c] = rec[i]
			}
		}
		rows = append(rows, csvRow{line: line, cells: cells})
	}
	return rows, nil
}

// csvProblem records a malformed file (a bad quote) in ie; other read
// errors (the reader failed) are returned.
func csvProblem(err error, ie *ImportError) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		ie.add(pe.Line, "", pe.Err.Error())
		return nil
	}
	return fmt.Errorf("read csv: %w", err)
}

// splitPath splits a department path into trimmed segments.
func splitPath(p string) []string {
	segs := strings.Split(p, "/")
	for i := range segs {
		segs[i] = strings.TrimSpace(segs[i])
	}
	return segs
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "false", "0", "no", "n":
		return false, true
	case "true", "1", "yes", "y":
		return true, true
	}
	return false, false
}
