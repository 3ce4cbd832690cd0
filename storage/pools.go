package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/pools"
)

// Pools returns the store of the talent/pools package, on this database.
func (db *DB) Pools() pools.Store { return poolsStore{db: db} }

// poolsStore implements pools.Store. Every query names tenant_id and runs
// on db.Conn(ctx), so it joins the use case's transaction.
type poolsStore struct{ db *DB }

func (s poolsStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

type poolRow struct {
	bun.BaseModel `bun:"table:ballast_talent_pools,alias:p"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Name          string    `bun:"name"`
	Description   string    `bun:"description"`
	Rule          string    `bun:"rule"`
	RuleVersion   int       `bun:"rule_version"`
	Archived      bool      `bun:"archived"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func (r poolRow) record() (pools.Pool, error) {
	p := pools.Pool{ID: r.ID, Name: r.Name, Description: r.Description, RuleVersion: r.RuleVersion, Archived: r.Archived,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if err := json.Unmarshal([]byte(r.Rule), &p.Rule); err != nil {
		return pools.Pool{}, fmt.Errorf("storage: decode pool %s: %w", r.ID, err)
	}
	return p, nil
}

type poolRuleRow struct {
	bun.BaseModel `bun:"table:ballast_talent_pool_rules,alias:r"`
	TenantID      string    `bun:"tenant_id,pk"`
	PoolID        string    `bun:"pool_id,pk"`
	Version       int       `bun:"version,pk"`
	Rule          string    `bun:"rule"`
	Note          string    `bun:"note"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (s poolsStore) InsertPool(ctx context.Context, tenant string, p pools.Pool, v pools.RuleVersion) error {
	row := poolRow{TenantID: tenant, ID: p.ID, Name: p.Name, Description: p.Description, Rule: string(pools.MarshalRule(p.Rule)),
		RuleVersion: p.RuleVersion, Archived: p.Archived, CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Version: p.Version}
	if _, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx); err != nil {
		return translate("insert pool", err)
	}
	return s.insertRule(ctx, tenant, v)
}

func (s poolsStore) insertRule(ctx context.Context, tenant string, v pools.RuleVersion) error {
	row := poolRuleRow{TenantID: tenant, PoolID: v.PoolID, Version: v.Version, Rule: string(pools.MarshalRule(v.Rule)), Note: v.Note,
		CreatedBy: v.CreatedBy, CreatedAt: v.CreatedAt}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert pool rule version", err)
}

func (s poolsStore) Pool(ctx context.Context, tenant, id string) (pools.Pool, error) {
	var row poolRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("p.tenant_id = ? AND p.id = ?", tenant, id).Scan(ctx); err != nil {
		return pools.Pool{}, translate("pool "+id, err)
	}
	return row.record()
}

func (s poolsStore) UpdatePool(ctx context.Context, tenant string, p pools.Pool, expected int64, v *pools.RuleVersion) error {
	row := poolRow{TenantID: tenant, ID: p.ID, Name: p.Name, Description: p.Description, Rule: string(pools.MarshalRule(p.Rule)),
		RuleVersion: p.RuleVersion, Archived: p.Archived, UpdatedAt: p.UpdatedAt, Version: p.Version}
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("name", "description", "rule", "rule_version", "archived", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, p.ID, expected).Exec(ctx)
	if err := hrStore(s).checkUpdated(ctx, "update pool "+p.ID, res, err, "ballast_talent_pools", "tenant_id = ? AND id = ?", tenant, p.ID); err != nil {
		return err
	}
	if v != nil {
		return s.insertRule(ctx, tenant, *v)
	}
	return nil
}

func (s poolsStore) Pools(ctx context.Context, tenant string) ([]pools.Pool, error) {
	var rows []poolRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("p.tenant_id = ?", tenant).OrderExpr("p.name, p.id").Scan(ctx); err != nil {
		return nil, translate("pools", err)
	}
	out := make([]pools.Pool, 0, len(rows))
	for _, r := range rows {
		p, err := r.record()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (s poolsStore) RuleVersions(ctx context.Context, tenant, poolID string) ([]pools.RuleVersion, error) {
	var rows []poolRuleRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("r.tenant_id = ? AND r.pool_id = ?", tenant, poolID).OrderExpr("r.version").Scan(ctx); err != nil {
		return nil, translate("pool rule versions", err)
	}
	out := make([]pools.RuleVersion, 0, len(rows))
	for _, r := range rows {
		v := pools.RuleVersion{PoolID: r.PoolID, Version: r.Version, Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
		if err := json.Unmarshal([]byte(r.Rule), &v.Rule); err != nil {
			return nil, fmt.Errorf("storage: decode pool rule %s/%d: %w", r.PoolID, r.Version, err)
		}
		out = append(out, v)
	}
	return out, nil
}

type poolMemberRow struct {
	bun.BaseModel `bun:"table:ballast_talent_pool_members,alias:m"`
	TenantID      string    `bun:"tenant_id,pk"`
	PoolID        string    `bun:"pool_id,pk"`
	EmployeeID    string    `bun:"employee_id,pk"`
	Status        string    `bun:"status"`
	JoinedOn      string    `bun:"joined_on"`
	JoinedBy      string    `bun:"joined_by"`
	Note          string    `bun:"note"`
	RuleVersion   int       `bun:"rule_version"`
	Evidence      string    `bun:"evidence"`
	EndedOn       string    `bun:"ended_on,nullzero"`
	EndReason     string    `bun:"end_reason"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
	DepartmentID  string    `bun:"department_id,scanonly"`
}

func poolMemberRowOf(tenant string, m pools.Member) poolMemberRow {
	return poolMemberRow{TenantID: tenant, PoolID: m.PoolID, EmployeeID: m.EmployeeID, Status: string(m.Status), JoinedOn: dayText(m.Joined),
		JoinedBy: m.JoinedBy, Note: m.Note, RuleVersion: m.RuleVersion, Evidence: jsonText(nonNilSlice(m.Evidence)), EndedOn: dayText(m.Ended),
		EndReason: m.EndReason, UpdatedAt: m.UpdatedAt, Version: m.Version}
}

func (r poolMemberRow) record() (pools.Member, error) {
	m := pools.Member{PoolID: r.PoolID, EmployeeID: r.EmployeeID, DepartmentID: r.DepartmentID, Status: pools.MemberStatus(r.Status),
		Joined: parseDay(r.JoinedOn), JoinedBy: r.JoinedBy, Note: r.Note, RuleVersion: r.RuleVersion, Ended: parseDay(r.EndedOn),
		EndReason: r.EndReason, UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if err := json.Unmarshal([]byte(r.Evidence), &m.Evidence); err != nil {
		return pools.Member{}, fmt.Errorf("storage: decode pool member %s/%s: %w", r.PoolID, r.EmployeeID, err)
	}
	return m, nil
}

func (s poolsStore) InsertMember(ctx context.Context, tenant string, m pools.Member) error {
	row := poolMemberRowOf(tenant, m)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert pool member", err)
}

func (s poolsStore) selectMembers(ctx context.Context, rows *[]poolMemberRow) *bun.SelectQuery {
	return s.conn(ctx).NewSelect().Model(rows).ColumnExpr("m.*").ColumnExpr("e.department_id").
		Join("JOIN ballast_employees AS e ON e.tenant_id = m.tenant_id AND e.id = m.employee_id")
}

func (s poolsStore) Member(ctx context.Context, tenant, poolID, employeeID string) (pools.Member, error) {
	var rows []poolMemberRow
	err := s.selectMembers(ctx, &rows).Where("m.tenant_id = ? AND m.pool_id = ? AND m.employee_id = ?", tenant, poolID, employeeID).Scan(ctx)
	if err != nil {
		return pools.Member{}, translate("pool member", err)
	}
	if len(rows) == 0 {
		return pools.Member{}, translate("pool member "+employeeID, sql.ErrNoRows)
	}
	return rows[0].record()
}

func (s poolsStore) UpdateMember(ctx context.Context, tenant string, m pools.Member, expected int64) error {
	row := poolMemberRowOf(tenant, m)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("status", "joined_on", "joined_by", "note", "rule_version", "evidence", "ended_on", "end_reason", "updated_at", "version").
		Where("tenant_id = ? AND pool_id = ? AND employee_id = ? AND version = ?", tenant, m.PoolID, m.EmployeeID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update pool member "+m.EmployeeID, res, err, "ballast_talent_pool_members",
		"tenant_id = ? AND pool_id = ? AND employee_id = ?", tenant, m.PoolID, m.EmployeeID)
}

func (s poolsStore) Members(ctx context.Context, tenant string, q pools.MemberQuery) ([]pools.Member, error) {
	if q.DepartmentIDs != nil && len(q.DepartmentIDs) == 0 {
		return []pools.Member{}, nil
	}
	var rows []poolMemberRow
	sq := s.selectMembers(ctx, &rows).Where("m.tenant_id = ?", tenant)
	if q.PoolID != "" {
		sq = sq.Where("m.pool_id = ?", q.PoolID)
	}
	if q.EmployeeID != "" {
		sq = sq.Where("m.employee_id = ?", q.EmployeeID)
	}
	if q.Status != "" {
		sq = sq.Where("m.status = ?", string(q.Status))
	}
	if q.DepartmentIDs != nil {
		sq = sq.Where("e.department_id IN (?)", bun.In(q.DepartmentIDs))
	}
	if err := sq.OrderExpr("m.employee_id, m.pool_id").Scan(ctx); err != nil {
		return nil, translate("pool members", err)
	}
	out := make([]pools.Member, 0, len(rows))
	for _, r := range rows {
		m, err := r.record()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

type poolEventRow struct {
	bun.BaseModel `bun:"table:ballast_talent_pool_events,alias:v"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	PoolID        string    `bun:"pool_id"`
	EmployeeID    string    `bun:"employee_id"`
	Kind          string    `bun:"kind"`
	Day           string    `bun:"day"`
	Reason        string    `bun:"reason"`
	By            string    `bun:"by_id"`
	At            time.Time `bun:"at"`
}

func (s poolsStore) InsertEvent(ctx context.Context, tenant string, e pools.Event) error {
	row := poolEventRow{TenantID: tenant, ID: e.ID, PoolID: e.PoolID, EmployeeID: e.EmployeeID, Kind: string(e.Kind), Day: dayText(e.Day),
		Reason: e.Reason, By: e.By, At: e.At}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert pool event", err)
}

func (s poolsStore) Events(ctx context.Context, tenant, poolID, employeeID string) ([]pools.Event, error) {
	var rows []poolEventRow
	q := s.conn(ctx).NewSelect().Model(&rows).Where("v.tenant_id = ? AND v.pool_id = ?", tenant, poolID)
	if employeeID != "" {
		q = q.Where("v.employee_id = ?", employeeID)
	}
	if err := q.OrderExpr("v.at, v.id").Scan(ctx); err != nil {
		return nil, translate("pool events", err)
	}
	out := make([]pools.Event, 0, len(rows))
	for _, r := range rows {
		out = append(out, pools.Event{ID: r.ID, PoolID: r.PoolID, EmployeeID: r.EmployeeID, Kind: pools.EventKind(r.Kind), Day: parseDay(r.Day),
			Reason: r.Reason, By: r.By, At: r.At.UTC()})
	}
	return out, nil
}

func (s poolsStore) Departed(ctx context.Context, tenant, poolID string) (int, error) {
	n, err := s.conn(ctx).NewSelect().TableExpr("ballast_talent_pool_members AS m").
		Join("JOIN ballast_employees AS e ON e.tenant_id = m.tenant_id AND e.id = m.employee_id").
		Where("m.tenant_id = ? AND m.pool_id = ? AND e.status = 'departed'", tenant, poolID).Count(ctx)
	return int(n), translate("pool departed members", err)
}

// Screen compiles the validated rule tree into one query: a CTE of the
// employees who have not departed, a CTE per number of periods of every
// employee's average score over the tenant's last N periods (the oldest of
// those period ends is read first by a loose index scan), a CTE of every
// leaf's raw values (the rank within the population and its size by
// window functions over those rows, JSON functions over the profile), one
// of every leaf's pass (0/1), and a WHERE clause that keeps the rows where
// the tree matches or misses by exactly one leaf. Every value is bound
// through a placeholder; the SQL text comes from the rule's kinds only.
func (s poolsStore) Screen(ctx context.Context, tenant string, q pools.ScreenQuery) ([]pools.Candidate, error) {
	if err := q.Rule.Validate(); err != nil {
		return nil, err
	}
	c := screenCompiler{pg: s.db.dialect == Postgres, tenant: tenant, day: dayText(q.Day), periods: map[int]string{}, bounds: map[int]string{}}
	var out []pools.Candidate
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		// The tenant's last N period ends on or before the day, for every N
		// the rule uses, by a loose index scan (one index probe per
		// period); the records of those periods are then those whose
		// period end lies between the oldest of them and the day, a bound
		// the planner can estimate.
		for _, l := range q.Rule.Leaves() {
			n := l.Rule.Periods
			if n == 0 {
				continue
			}
			if _, ok := c.bounds[n]; ok {
				continue
			}
			var bound sql.NullString
			err := s.conn(ctx).NewRaw("WITH RECURSIVE p(d, k) AS (SELECT MAX(period_end), 1 FROM ballast_performance_records WHERE tenant_id = ? AND period_end <= ? "+
				"UNION ALL SELECT (SELECT MAX(x.period_end) FROM ballast_performance_records x WHERE x.tenant_id = ? AND x.period_end < p.d), p.k + 1 "+
				"FROM p WHERE p.d IS NOT NULL AND p.k < ?) SELECT MIN(d) FROM p", tenant, c.day, tenant, n).Scan(ctx, &bound)
			if err != nil {
				return err
			}
			c.bounds[n] = bound.String
			if !bound.Valid {
				c.bounds[n] = "9999-12-31" // no history: no record is in the periods
			}
		}
		query, args := c.compile(q)
		if c.pg {
			// One query over every employee: the planner's estimates of the
			// window CTEs are far too high, which makes it JIT-compile the
			// query (seconds) and spill sorts to disk; neither is worth it
			// for a query that runs in well under a second in memory. The
			// settings end with the transaction.
			for _, set := range []string{"SET LOCAL jit = off", "SET LOCAL work_mem = '64MB'"} {
				if _, err := s.conn(ctx).ExecContext(ctx, set); err != nil {
					return err
				}
			}
		}
		var err error
		out, err = s.screen(ctx, query, args, q)
		return err
	})
	if err != nil {
		return nil, translate("screen pool rule", err)
	}
	return out, nil
}

func (s poolsStore) screen(ctx context.Context, query string, args []any, q pools.ScreenQuery) ([]pools.Candidate, error) {
	rows, err := s.conn(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	leaves := q.Rule.Leaves()
	out := []pools.Candidate{}
	for rows.Next() {
		var cand pools.Candidate
		var match int
		raw := make([]sql.NullFloat64, 3*len(leaves))
		txt := make([]sql.NullString, 2*len(leaves))
		dest := []any{&cand.EmployeeID, &cand.Name, &cand.DepartmentID, &match}
		for i := range leaves {
			dest = append(dest, &raw[3*i], &raw[3*i+1], &raw[3*i+2], &txt[2*i], &txt[2*i+1])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		cand.Match = match == 1
		cand.Values = make([]pools.Value, len(leaves))
		for i, l := range leaves {
			cand.Values[i] = leafValue(l, raw[3*i:3*i+3], txt[2*i:2*i+2], q.Day)
		}
		out = append(out, cand)
	}
	return out, rows.Err()
}

// leafValue reads one leaf's columns: pass, n1, n2, t1, t2.
func leafValue(l pools.Leaf, n []sql.NullFloat64, t []sql.NullString, day hr.Date) pools.Value {
	v := pools.Value{Path: l.Path, Kind: l.Rule.Kind, Pass: n[0].Float64 == 1}
	switch l.Rule.Kind {
	case pools.KindPerformanceTopPercent:
		if n[1].Valid && n[2].Valid && n[2].Float64 > 0 {
			v.Rank, v.Of = int(n[1].Float64), int(n[2].Float64)
			v.Number = float64(v.Rank) * 100 / float64(v.Of)
		}
	case pools.KindMinScoreAverage:
		v.Number = math.Round(n[1].Float64*100) / 100
		v.Of = int(n[2].Float64)
	case pools.KindGradeStreak, pools.KindManagementExperience, pools.KindPositionLevel:
		v.Number = n[1].Float64
	case pools.KindCareerPlan:
		v.Detail = t[0].String
		v.Day = parseDay(t[1].String)
	case pools.KindCertification:
		if t[1].String != "9999-12-31" {
			v.Day = parseDay(t[1].String)
		}
	case pools.KindTenure:
		v.Day = parseDay(t[1].String)
		if !v.Day.IsZero() {
			months := (day.Year-v.Day.Year)*12 + int(day.Month) - int(v.Day.Month)
			if day.Day < v.Day.Day {
				months--
			}
			v.Number = math.Floor(float64(months)/12*10) / 10
		}
	case pools.KindNotResigning:
		v.Detail = t[0].String
	case pools.KindDepartment:
		v.Detail = t[0].String
	}
	return v
}

// screenCompiler builds the screening query. Text and its arguments are
// appended together, in the order they appear in the query.
type screenCompiler struct {
	pg      bool
	tenant  string
	day     string
	periods map[int]string // N -> name of the CTE over the last N periods
	bounds  map[int]string // N -> the oldest of the tenant's last N period ends
	passes  []leafPass
	ctes    []string
	args    []any
}

func (c *screenCompiler) cte(name, body string, args ...any) {
	as := " AS ("
	switch {
	case c.pg && name == "emp":
		// Inlined where it is used, so that the planner sees the
		// employees' statistics rather than a CTE scan's guesses.
		as = " AS NOT MATERIALIZED ("
	case c.pg && name == "ev":
		// Every leaf's pass computed once per employee; the WHERE clause
		// then reads integers instead of repeating each leaf's expression
		// in the match and near-miss conditions.
		as = " AS MATERIALIZED ("
	}
	c.ctes = append(c.ctes, name+as+body+")")
	c.args = append(c.args, args...)
}

// perf returns the name of the CTE of the employees' averages, counts and
// grades over the tenant's last n periods (grades counted for grade_streak
// leaves get their own CTE).
func (c *screenCompiler) perf(n int) string {
	if name, ok := c.periods[n]; ok {
		return name
	}
	name := fmt.Sprintf("perf%d", n)
	// SUM/COUNT rather than AVG, which on PostgreSQL also accumulates the
	// squares for the variance.
	c.cte(name, "SELECT r.employee_id, SUM(r.score) / COUNT(*) AS v, COUNT(*) AS n FROM ballast_performance_records r "+
		"WHERE r.tenant_id = ? AND "+c.periodIn("r.period_end")+" GROUP BY r.employee_id", c.tenant, c.bounds[n], c.day)
	c.periods[n] = name
	return name
}

// periodIn is the condition "col between two bound days": byte-wise on
// PostgreSQL (YYYY-MM-DD sorts the same), which spares a collation-aware
// comparison per record when the scan reads the whole history.
func (c *screenCompiler) periodIn(col string) string {
	if c.pg {
		return col + ` COLLATE "C" >= ? AND ` + col + ` COLLATE "C" <= ?`
	}
	return col + " >= ? AND " + col + " <= ?"
}

func (c *screenCompiler) jsonLen(col string) string {
	if c.pg {
		return "COALESCE(jsonb_array_length(" + col + "), 0)"
	}
	return "COALESCE(json_array_length(" + col + "), 0)"
}

func (c *screenCompiler) jsonField(col, key string) string {
	if c.pg {
		return "(" + col + " ->> '" + key + "')"
	}
	return "json_extract(" + col + ", '$." + key + "')"
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func (c *screenCompiler) compile(q pools.ScreenQuery) (string, []any) {
	c.cte("emp", "SELECT e.id, e.name, e.department_id, e.status, e.hire_date, COALESCE(ps.level, 0) AS lvl FROM ballast_employees e "+
		"LEFT JOIN ballast_positions ps ON ps.tenant_id = e.tenant_id AND ps.id = e.position_id WHERE e.tenant_id = ? AND e.status <> 'departed'", c.tenant)
	leaves := q.Rule.Leaves()
	var cols, joins []string
	var colArgs, joinArgs []any
	for i, l := range leaves {
		r := l.Rule
		// Every leaf has five columns: pass (0/1), n1, n2, t1, t2.
		var pass, n1, n2, t1, t2 string
		n1, n2, t1, t2 = "NULL", "NULL", "NULL", "NULL"
		var passArgs []any
		switch r.Kind {
		case pools.KindPerformanceTopPercent:
			// The rank within the population is a window over the rows of
			// raw itself (the employees who have not departed), those
			// without a record in the periods ranked apart and not counted.
			perf := c.perf(r.Periods)
			a := fmt.Sprintf("top%d", i)
			part := ""
			switch r.Population {
			case pools.PopulationDepartment:
				part = "emp.department_id"
			case pools.PopulationPositionLevel:
				part = "emp.lvl"
			}
			joins = append(joins, "LEFT JOIN "+perf+" "+a+" ON "+a+".employee_id = emp.id")
			byRank, byCount := "PARTITION BY "+a+".v IS NULL", ""
			if part != "" {
				byRank, byCount = "PARTITION BY "+part+", "+a+".v IS NULL", "PARTITION BY "+part
			}
			n1 = "CASE WHEN " + a + ".v IS NULL THEN NULL ELSE RANK() OVER (" + byRank + " ORDER BY " + a + ".v DESC) END"
			n2 = "COUNT(" + a + ".v) OVER (" + byCount + ")"
			cols = append(cols, fmt.Sprintf("NULL AS p_%d, %s AS n1_%d, %s AS n2_%d, NULL AS t1_%d, NULL AS t2_%d", i, n1, i, n2, i, i, i))
			c.passes = append(c.passes, leafPass{expr: fmt.Sprintf("CASE WHEN n1_%d IS NOT NULL AND n1_%d * 100.0 <= ? * n2_%d THEN 1 ELSE 0 END", i, i, i),
				args: []any{r.Percent}})
			continue
		case pools.KindMinScoreAverage:
			perf := c.perf(r.Periods)
			a := fmt.Sprintf("avg%d", i)
			joins = append(joins, "LEFT JOIN "+perf+" "+a+" ON "+a+".employee_id = emp.id")
			pass, n1, n2 = "CASE WHEN "+a+".v >= ? THEN 1 ELSE 0 END", a+".v", a+".n"
			passArgs = []any{r.MinScore}
		case pools.KindGradeStreak:
			c.perf(r.Periods)
			g := fmt.Sprintf("grades%d", i)
			c.cte(g, "SELECT r.employee_id, SUM(CASE WHEN r.grade IN ("+placeholders(len(r.Grades))+") THEN 1 ELSE 0 END) AS g FROM ballast_performance_records r "+
				"WHERE r.tenant_id = ? AND "+c.periodIn("r.period_end")+" GROUP BY r.employee_id",
				append(anys(r.Grades), c.tenant, c.bounds[r.Periods], c.day)...)
			joins = append(joins, "LEFT JOIN "+g+" ON "+g+".employee_id = emp.id")
			pass, n1 = "CASE WHEN COALESCE("+g+".g, 0) >= ? THEN 1 ELSE 0 END", "COALESCE("+g+".g, 0)"
			passArgs = []any{r.Periods}
		case pools.KindManagementExperience:
			n1 = c.jsonLen("pr.management")
			pass = "CASE WHEN " + n1 + " >= ? THEN 1 ELSE 0 END"
			passArgs = []any{r.MinCount}
		case pools.KindCareerPlan:
			t1 = c.jsonField("pr.career_plan", "direction")
			t2 = "substr(" + c.jsonField("pr.career_plan", "updated_at") + ", 1, 10)"
			pass = "CASE WHEN COALESCE(" + t1 + ", '') <> ''"
			if r.Direction != "" {
				pass += " AND " + t1 + " = ?"
				passArgs = []any{r.Direction}
			}
			pass += " THEN 1 ELSE 0 END"
		case pools.KindCertification:
			name, issued, expires, from := c.jsonField("ce.value", "name"), c.jsonField("ce.value", "issued"), c.jsonField("ce.value", "expires"), "json_each(pr.certifications) ce"
			if c.pg {
				from = "jsonb_array_elements(pr.certifications) ce"
			}
			sub := "(SELECT MAX(CASE WHEN COALESCE(" + expires + ", '') = '' THEN '9999-12-31' ELSE " + expires + " END) FROM " + from + " WHERE " + name + " = ?"
			subArgs := []any{strings.TrimSpace(r.Name)}
			if r.ValidOnScreeningDay {
				sub += " AND COALESCE(" + issued + ", '') <= ? AND (COALESCE(" + expires + ", '') = '' OR " + expires + " >= ?)"
				subArgs = append(subArgs, c.day, c.day)
			}
			sub += ")"
			// The certification's expiry is computed once, in the raw
			// columns (t2); pass tests it below.
			t2 = sub
			pass = "CASE WHEN t2_" + fmt.Sprint(i) + " IS NOT NULL THEN 1 ELSE 0 END"
			cols = append(cols, "NULL AS p_"+fmt.Sprint(i)+", NULL AS n1_"+fmt.Sprint(i)+", NULL AS n2_"+fmt.Sprint(i)+", NULL AS t1_"+fmt.Sprint(i)+", "+t2+" AS t2_"+fmt.Sprint(i))
			colArgs = append(colArgs, subArgs...)
			c.passes = append(c.passes, leafPass{expr: pass})
			continue
		case pools.KindTenure:
			months := int(math.Round(r.MinYears * 12))
			cut := monthsBefore(q.Day, months)
			t2 = "emp.hire_date"
			pass = "CASE WHEN emp.hire_date <= ? THEN 1 ELSE 0 END"
			passArgs = []any{dayText(cut)}
		case pools.KindNotResigning:
			t1 = "emp.status"
			pass = "CASE WHEN emp.status = 'active' THEN 1 ELSE 0 END"
		case pools.KindDepartment:
			d := fmt.Sprintf("dept%d", i)
			c.cte(d, "SELECT id FROM ballast_departments WHERE tenant_id = ? AND id = ? UNION ALL SELECT x.id FROM ballast_departments x JOIN "+d+
				" ON x.parent_id = "+d+".id WHERE x.tenant_id = ?", c.tenant, r.DepartmentID, c.tenant)
			t1 = "emp.department_id"
			pass = "CASE WHEN emp.department_id IN (SELECT id FROM " + d + ") THEN 1 ELSE 0 END"
		case pools.KindPositionLevel:
			n1 = "emp.lvl"
			pass = "CASE WHEN emp.lvl >= ?"
			passArgs = []any{r.MinLevel}
			if r.MaxLevel > 0 {
				pass += " AND emp.lvl <= ?"
				passArgs = append(passArgs, r.MaxLevel)
			}
			pass += " THEN 1 ELSE 0 END"
		}
		// The pass is computed in the raw CTE too (p_i) and copied.
		cols = append(cols, fmt.Sprintf("%s AS p_%d, %s AS n1_%d, %s AS n2_%d, %s AS t1_%d, %s AS t2_%d", pass, i, n1, i, n2, i, t1, i, t2, i))
		colArgs = append(colArgs, passArgs...)
		c.passes = append(c.passes, leafPass{expr: fmt.Sprintf("p_%d", i)})
	}
	raw := "SELECT emp.id, emp.name, emp.department_id"
	for _, col := range cols {
		raw += ", " + col
	}
	raw += " FROM emp LEFT JOIN ballast_employee_profiles pr ON pr.tenant_id = ? AND pr.employee_id = emp.id"
	for _, j := range joins {
		raw += " " + j
	}
	c.cte("raw", raw, append(append(colArgs, c.tenant), joinArgs...)...)
	ev := "SELECT raw.*"
	var evArgs []any
	for i, p := range c.passes {
		ev += fmt.Sprintf(", %s AS x_%d", p.expr, i)
		evArgs = append(evArgs, p.args...)
	}
	c.cte("ev", ev+" FROM raw", evArgs...)
	i := 0
	match := c.match(q.Rule, &i)
	i = 0
	near := c.near(q.Rule, &i)
	sel := "SELECT id, name, department_id, CASE WHEN " + match + " THEN 1 ELSE 0 END AS m"
	for i := range leaves {
		sel += fmt.Sprintf(", x_%d, n1_%d, n2_%d, t1_%d, t2_%d", i, i, i, i, i)
	}
	sel += " FROM ev WHERE (" + match + " OR " + near + ")"
	var tail []any
	if q.EmployeeID != "" {
		sel += " AND id = ?"
		tail = append(tail, q.EmployeeID)
	}
	sel += " ORDER BY m DESC, name, id LIMIT ?"
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	tail = append(tail, limit)
	return "WITH RECURSIVE " + strings.Join(c.ctes, ",\n") + "\n" + sel, append(c.args, tail...)
}

// leafPass is a leaf's pass computed in the ev CTE, over raw's columns.
type leafPass struct {
	expr string
	args []any
}

// match is the SQL of "the tree matches" over the leaves' x_i columns.
func (c *screenCompiler) match(r pools.Rule, i *int) string {
	if r.Kind != pools.KindAnd && r.Kind != pools.KindOr {
		s := fmt.Sprintf("x_%d = 1", *i)
		*i++
		return s
	}
	parts := make([]string, len(r.Rules))
	for k, sub := range r.Rules {
		parts[k] = c.match(sub, i)
	}
	return "(" + strings.Join(parts, " "+strings.ToUpper(r.Kind)+" ") + ")"
}

// near is the SQL of "the tree fails, and would match if exactly one
// failing leaf passed": a leaf that fails; an AND whose operands but one
// pass and whose failing operand is near; an OR that fails and one of
// whose operands is near. (Near implies failing, so an AND's passing
// operands are never near.)
func (c *screenCompiler) near(r pools.Rule, i *int) string {
	if r.Kind != pools.KindAnd && r.Kind != pools.KindOr {
		s := fmt.Sprintf("x_%d = 0", *i)
		*i++
		return s
	}
	start := *i
	self := c.match(r, &start)
	nears := make([]string, len(r.Rules))
	passes := make([]string, len(r.Rules))
	for k, sub := range r.Rules {
		start := *i
		nears[k] = c.near(sub, i)
		j := start
		passes[k] = "CASE WHEN " + c.match(sub, &j) + " THEN 1 ELSE 0 END"
	}
	if r.Kind == pools.KindOr {
		return "(NOT " + self + " AND (" + strings.Join(nears, " OR ") + "))"
	}
	return fmt.Sprintf("((%s) = %d AND (%s))", strings.Join(passes, " + "), len(r.Rules)-1, strings.Join(nears, " OR "))
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// monthsBefore is d minus months calendar months, on the month's last day
// when d's day does not exist in it (the 31st, February).
func monthsBefore(d hr.Date, months int) hr.Date {
	first := time.Date(d.Year, d.Month-time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return hr.NewDate(first.Year(), first.Month(), min(d.Day, last))
}
