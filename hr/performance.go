package hr

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/audit"
)

// PermRecordPerformance lets a review process (assessment finalisation,
// appeal adjustments) write period ratings into performance history without
// the right to edit the rest of a profile. HR with PermProfileWriteHR may
// record them too.
const PermRecordPerformance = "assessment:manage"

// auditChunk is how many records one audit entry of RecordPerformance
// lists.
const auditChunk = 1000

// periodLabel matches the period labels PeriodEnd understands.
var periodLabel = regexp.MustCompile(`^([0-9]{4})(?:(H[12])|(Q[1-4])|-(0[1-9]|1[0-2]))?$`)

// PeriodEnd returns the last day of a review period given by its label:
// "2025" (the year), "2025H1"/"2025H2" (half years), "2025Q1"…"2025Q4"
// (quarters) or "2025-07" (a month). ok is false for any other label; such
// a period needs an explicit PerformanceRecord.PeriodEnd.
func PeriodEnd(period string) (end Date, ok bool) {
	m := periodLabel.FindStringSubmatch(period)
	if m == nil {
		return Date{}, false
	}
	y, _ := strconv.Atoi(m[1])
	month := time.December
	switch {
	case m[2] == "H1":
		month = time.June
	case m[3] != "":
		month = time.Month(3 * (int(m[3][1] - '0')))
	case m[4] != "":
		mm, _ := strconv.Atoi(m[4])
		month = time.Month(mm)
	}
	last := time.Date(y, month+1, 0, 0, 0, 0, 0, time.UTC)
	return DateOf(last), true
}

// withPeriodEnds fills each record's zero PeriodEnd from its label and
// reports, under field, the records whose end can be neither read nor
// derived. It also refuses a period listed twice.
func withPeriodEnds(v *ballast.ValidationError, field string, rs []PerformanceRecord) []PerformanceRecord {
	out := slices.Clone(rs)
	seen := make(map[string]bool, len(rs))
	for i := range out {
		f := fmt.Sprintf("%s[%d]", field, i)
		r := &out[i]
		text(v, f+".period", r.Period, true, maxGrade)
		score(v, f+".score", r.Score)
		text(v, f+".grade", r.Grade, false, maxGrade)
		text(v, f+".source", r.Source, false, maxGrade)
		if r.CycleID != "" && !ballast.ValidID(r.CycleID) {
			v.Add(f+".cycle_id", "must be an id")
		}
		if r.PeriodEnd.IsZero() {
			end, ok := PeriodEnd(r.Period)
			if !ok && strings.TrimSpace(r.Period) != "" {
				v.Add(f+".period_end", fmt.Sprintf("is required for period %q (labels like 2025, 2025H1, 2025Q3 or 2025-07 imply it)", r.Period))
			}
			r.PeriodEnd = end
		} else {
			date(v, f+".period_end", r.PeriodEnd, true)
		}
		if seen[r.Period] {
			v.Add(f+".period", "is listed twice")
		}
		seen[r.Period] = true
	}
	slices.SortStableFunc(out, comparePerformance)
	return out
}

// comparePerformance orders a history oldest first: by period end, then
// label.
func comparePerformance(a, b PerformanceRecord) int {
	if c := a.PeriodEnd.Compare(b.PeriodEnd); c != 0 {
		return c
	}
	return strings.Compare(a.Period, b.Period)
}

// RecordPerformance writes period ratings into employees' performance
// history in bulk: each entry replaces that employee's record for the same
// Period, or adds one. It is how a finalised assessment cycle (and an appeal
// that adjusts its result) reaches the profile, and it joins the caller's
// transaction, so a host finalising a cycle writes scores and history
// atomically. Every touched profile's Version increases, so an HR edit
// based on an older read gets ErrConflict instead of overwriting the new
// rating.
//
// It needs PermRecordPerformance or PermProfileWriteHR. Every entry must
// name an employee of the tenant and be a valid record (score 0–100, a
// period whose end is known); otherwise a *ballast.ValidationError lists
// each bad entry and nothing is written. Audit entries (action
// "hr.performance.record", one change per record, at most 1,000 records per
// entry) record the batch.
func (s *Service) RecordPerformance(ctx context.Context, entries []PerformanceEntry) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		pr, _, err := s.begin(ctx, "")
		if err != nil {
			return err
		}
		ok, err := s.auth.Allowed(ctx, PermRecordPerformance)
		if err != nil {
			return err
		}
		if !ok {
			if err := s.auth.Authorize(ctx, PermProfileWriteHR); err != nil {
				return err
			}
		}
		if len(entries) == 0 {
			return nil
		}
		var v ballast.ValidationError
		recs := make([]PerformanceRecord, len(entries))
		seen := make(map[[2]string]bool, len(entries))
		ids := make([]string, 0, len(entries))
		for i, e := range entries {
			recs[i] = e.PerformanceRecord
			if !ballast.ValidID(e.EmployeeID) {
				v.Add(fmt.Sprintf("entries[%d].employee_id", i), "must be an id")
				continue
			}
			k := [2]string{e.EmployeeID, e.Period}
			if seen[k] {
				v.Add(fmt.Sprintf("entries[%d].period", i), "is listed twice for this employee")
			}
			seen[k] = true
			ids = append(ids, e.EmployeeID)
		}
		// Validate record by record, keeping entry order for field names.
		out := make([]PerformanceEntry, len(entries))
		for i := range entries {
			var one ballast.ValidationError
			r := withPeriodEnds(&one, "r", recs[i:i+1])
			for _, f := range one.Fields {
				v.Add(fmt.Sprintf("entries[%d]%s", i, strings.TrimPrefix(f.Field, "r[0]")), f.Message)
			}
			out[i] = PerformanceEntry{EmployeeID: entries[i].EmployeeID, PerformanceRecord: r[0]}
		}
		if err := v.Err(); err != nil {
			return err
		}
		ids = uniq(ids)
		found, err := s.store.EmployeesByID(ctx, pr.Tenant, ids)
		if err != nil {
			return err
		}
		if len(found) != len(ids) {
			exists := make(map[string]bool, len(found))
			for _, e := range found {
				exists[e.ID] = true
			}
			for i, e := range entries {
				if !exists[e.EmployeeID] {
					v.Add(fmt.Sprintf("entries[%d].employee_id", i), "is not an employee of this tenant")
				}
			}
			return v.Err()
		}
		if err := s.store.RecordPerformance(ctx, pr.Tenant, out, s.now()); err != nil {
			return err
		}
		periods := map[string]int{}
		changes := make([]audit.Change, len(out))
		for i, e := range out {
			periods[e.Period]++
			after := strconv.FormatFloat(e.Score, 'f', -1, 64)
			if e.Grade != "" {
				after += " " + e.Grade
			}
			changes[i] = audit.Change{Path: e.EmployeeID + "/" + e.Period, After: after}
		}
		// One entry per auditChunk records (an audit entry holds at most
		// 1,000 changes).
		target := strings.Join(sortedKeys(periods), ",")
		for lo := 0; lo < len(changes); lo += auditChunk {
			hi := min(lo+auditChunk, len(changes))
			_, err = s.audit.Append(ctx, audit.Record{Action: "hr.performance.record", TargetType: "performance",
				TargetID: target, Changes: changes[lo:hi],
				Reason: fmt.Sprintf("records %d–%d of %d", lo+1, hi, len(changes))})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("hr: record performance: %w", err)
	}
	return nil
}

func uniq(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
