package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/talent/succession"
)

// Succession returns the store of the talent/succession package, on this
// database.
func (db *DB) Succession() succession.Store { return successionStore{db: db} }

// successionStore implements succession.Store. Every query names
// tenant_id and runs on db.Conn(ctx), so it joins the use case's
// transaction.
type successionStore struct{ db *DB }

func (s successionStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

type successionScaleRow struct {
	bun.BaseModel `bun:"table:ballast_succession_scales,alias:sc"`
	TenantID      string    `bun:"tenant_id,pk"`
	Levels        string    `bun:"levels"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func (s successionStore) Scale(ctx context.Context, tenant string) (succession.Scale, error) {
	var row successionScaleRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("sc.tenant_id = ?", tenant).Scan(ctx); err != nil {
		return succession.Scale{}, translate("succession scale", err)
	}
	out := succession.Scale{Version: row.Version, UpdatedAt: row.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(row.Levels), &out.Levels); err != nil {
		return succession.Scale{}, fmt.Errorf("storage: decode succession scale: %w", err)
	}
	return out, nil
}

func (s successionStore) SaveScale(ctx context.Context, tenant string, sc succession.Scale, expected int64) error {
	row := successionScaleRow{TenantID: tenant, Levels: jsonText(nonNilSlice(sc.Levels)), UpdatedAt: sc.UpdatedAt, Version: sc.Version}
	if expected == 0 {
		_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert succession scale", err)
	}
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("levels", "updated_at", "version").
		Where("tenant_id = ? AND version = ?", tenant, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update succession scale", res, err, "ballast_succession_scales", "tenant_id = ?", tenant)
}

func (s successionStore) LockScale(ctx context.Context, tenant string, exclusive bool) error {
	if _, inTx := TxFrom(ctx); !inTx || s.db.dialect != Postgres {
		return nil
	}
	fn := "pg_advisory_xact_lock_shared"
	if exclusive {
		fn = "pg_advisory_xact_lock"
	}
	_, err := s.conn(ctx).ExecContext(ctx, "SELECT "+fn+"(hashtextextended(?, 0))", "ballast_succession_scales/"+tenant)
	return translate("lock succession scale", err)
}

func (s successionStore) ReadinessInUse(ctx context.Context, tenant string) ([]string, error) {
	var out []string
	err := s.conn(ctx).NewSelect().TableExpr("ballast_successors AS s").ColumnExpr("DISTINCT s.readiness").
		Where("s.tenant_id = ?", tenant).OrderExpr("s.readiness").Scan(ctx, &out)
	if err != nil {
		return nil, translate("readiness in use", err)
	}
	return out, nil
}

type successorRow struct {
	bun.BaseModel `bun:"table:ballast_successors,alias:s"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	PositionID    string    `bun:"position_id"`
	EmployeeID    string    `bun:"employee_id"`
	Readiness     string    `bun:"readiness"`
	Rank          int       `bun:"rank"`
	Emergency     bool      `bun:"emergency"`
	Notes         string    `bun:"notes"`
	PlanID        string    `bun:"plan_id"`
	CreatedBy     string    `bun:"created_by"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func successorRowOf(tenant string, x succession.Successor) successorRow {
	return successorRow{TenantID: tenant, ID: x.ID, PositionID: x.PositionID, EmployeeID: x.EmployeeID, Readiness: x.Readiness,
		Rank: x.Rank, Emergency: x.Emergency, Notes: x.Notes, PlanID: x.PlanID, CreatedBy: x.CreatedBy,
		CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, Version: x.Version}
}

func (r successorRow) record() succession.Successor {
	return succession.Successor{ID: r.ID, PositionID: r.PositionID, EmployeeID: r.EmployeeID, Readiness: r.Readiness,
		Rank: r.Rank, Emergency: r.Emergency, Notes: r.Notes, PlanID: r.PlanID, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

func (s successionStore) InsertSuccessor(ctx context.Context, tenant string, x succession.Successor) error {
	row := successorRowOf(tenant, x)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert successor", err)
}

func (s successionStore) Successor(ctx context.Context, tenant, id string) (succession.Successor, error) {
	var row successorRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("s.tenant_id = ? AND s.id = ?", tenant, id).Scan(ctx); err != nil {
		return succession.Successor{}, translate("successor "+id, err)
	}
	return row.record(), nil
}

func (s successionStore) UpdateSuccessor(ctx context.Context, tenant string, x succession.Successor, expected int64) error {
	row := successorRowOf(tenant, x)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("readiness", "rank", "emergency", "notes", "plan_id", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, x.ID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update successor "+x.ID, res, err, "ballast_successors", "tenant_id = ? AND id = ?", tenant, x.ID)
}

func (s successionStore) DeleteSuccessor(ctx context.Context, tenant, id string, expected int64) error {
	// The history goes first (its foreign key); a stale version then
	// fails the delete and the caller's transaction rolls the history back.
	if _, err := s.conn(ctx).NewDelete().TableExpr("ballast_successor_readiness").
		Where("tenant_id = ? AND successor_id = ?", tenant, id).Exec(ctx); err != nil {
		return translate("delete readiness history", err)
	}
	res, err := s.conn(ctx).NewDelete().TableExpr("ballast_successors").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, id, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "delete successor "+id, res, err, "ballast_successors", "tenant_id = ? AND id = ?", tenant, id)
}

func (s successionStore) ListSuccessors(ctx context.Context, tenant string, q succession.Query) ([]succession.Successor, error) {
	var rows []successorRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("s.tenant_id = ?", tenant)
	if q.PositionID != "" {
		sel = sel.Where("s.position_id = ?", q.PositionID)
	}
	if q.EmployeeID != "" {
		sel = sel.Where("s.employee_id = ?", q.EmployeeID)
	}
	if len(q.DepartmentIDs) > 0 {
		sel = sel.Where("s.position_id IN (SELECT x.id FROM ballast_positions AS x WHERE x.tenant_id = ? AND x.department_id IN (?))",
			tenant, bun.In(q.DepartmentIDs))
	}
	if err := sel.OrderExpr("s.position_id, s.rank, s.id").Scan(ctx); err != nil {
		return nil, translate("list successors", err)
	}
	out := make([]succession.Successor, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

type readinessRow struct {
	bun.BaseModel `bun:"table:ballast_successor_readiness,alias:r"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	SuccessorID   string    `bun:"successor_id"`
	FromKey       string    `bun:"from_key"`
	ToKey         string    `bun:"to_key"`
	Reason        string    `bun:"reason"`
	ChangedBy     string    `bun:"changed_by"`
	ChangedAt     time.Time `bun:"changed_at"`
}

func (s successionStore) InsertReadinessChange(ctx context.Context, tenant string, c succession.ReadinessChange) error {
	row := readinessRow{TenantID: tenant, ID: c.ID, SuccessorID: c.SuccessorID, FromKey: c.From, ToKey: c.To, Reason: c.Reason,
		ChangedBy: c.ChangedBy, ChangedAt: c.ChangedAt}
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert readiness change", err)
}

func (s successionStore) ReadinessHistory(ctx context.Context, tenant, successorID string) ([]succession.ReadinessChange, error) {
	var rows []readinessRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("r.tenant_id = ? AND r.successor_id = ?", tenant, successorID).
		OrderExpr("r.changed_at, r.id").Scan(ctx); err != nil {
		return nil, translate("readiness history", err)
	}
	out := make([]succession.ReadinessChange, len(rows))
	for i, r := range rows {
		out[i] = succession.ReadinessChange{ID: r.ID, SuccessorID: r.SuccessorID, From: r.FromKey, To: r.ToKey, Reason: r.Reason,
			ChangedBy: r.ChangedBy, ChangedAt: r.ChangedAt.UTC()}
	}
	return out, nil
}

func (s successionStore) PositionReport(ctx context.Context, tenant, positionID string) (succession.PositionReport, error) {
	var r succession.PositionReport
	err := s.conn(ctx).NewSelect().TableExpr("ballast_positions AS p").ColumnExpr("p.id, p.title, p.department_id").
		Where("p.tenant_id = ? AND p.id = ? AND p.critical", tenant, positionID).Scan(ctx, &r.PositionID, &r.Title, &r.DepartmentID)
	if err != nil {
		return r, translate("critical position "+positionID, err)
	}
	var inc []struct {
		ID        string `bun:"id"`
		Name      string `bun:"name"`
		Status    string `bun:"status"`
		KeyPerson bool   `bun:"key_person"`
	}
	if err := s.conn(ctx).NewSelect().TableExpr("ballast_employees AS e").ColumnExpr("e.id, e.name, e.status, e.key_person").
		Where("e.tenant_id = ? AND e.position_id = ? AND e.status <> 'departed'", tenant, positionID).
		OrderExpr("e.name, e.id").Scan(ctx, &inc); err != nil {
		return r, translate("incumbents", err)
	}
	r.Incumbents = make([]succession.Incumbent, len(inc))
	for i, x := range inc {
		r.Incumbents[i] = succession.Incumbent{EmployeeID: x.ID, Name: x.Name, Resigning: x.Status == "resigning", KeyPerson: x.KeyPerson}
	}
	var rows []struct {
		successorRow
		Name          string   `bun:"name"`
		PositionTitle *string  `bun:"position_title"`
		Score         *float64 `bun:"score"`
		Period        *string  `bun:"period"`
	}
	latest := `(SELECT r.%[1]s FROM ballast_performance_records AS r WHERE r.tenant_id = s.tenant_id AND r.employee_id = s.employee_id
		ORDER BY r.period_end DESC, r.period DESC LIMIT 1) AS %[2]s`
	if err := s.conn(ctx).NewSelect().TableExpr("ballast_successors AS s").ColumnExpr("s.*").
		ColumnExpr("e.name, p.title AS position_title").
		ColumnExpr(fmt.Sprintf(latest, "score", "score")).ColumnExpr(fmt.Sprintf(latest, "period", "period")).
		Join("JOIN ballast_employees AS e ON e.tenant_id = s.tenant_id AND e.id = s.employee_id").
		Join("LEFT JOIN ballast_positions AS p ON p.tenant_id = e.tenant_id AND p.id = e.position_id").
		Where("s.tenant_id = ? AND s.position_id = ?", tenant, positionID).
		OrderExpr("s.rank, e.name, s.id").Scan(ctx, &rows); err != nil {
		return r, translate("successor lines", err)
	}
	r.Successors = make([]succession.SuccessorLine, len(rows))
	for i, x := range rows {
		l := succession.SuccessorLine{Successor: x.record(), Name: x.Name, Score: x.Score}
		if x.PositionTitle != nil {
			l.PositionTitle = *x.PositionTitle
		}
		if x.Period != nil {
			l.Period = *x.Period
		}
		r.Successors[i] = l
	}
	return r, nil
}

func (s successionStore) Coverage(ctx context.Context, tenant string, departmentIDs []string, readyNow string) (succession.Coverage, error) {
	c := succession.Coverage{WithoutSuccessor: []succession.PositionRef{}, Shared: []succession.SharedSuccessor{}, FlightRisks: []succession.FlightRisk{}}
	scoped := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("p.tenant_id = ? AND p.critical", tenant)
		if departmentIDs != nil {
			if len(departmentIDs) == 0 {
				return q.Where("1 = 0")
			}
			q = q.Where("p.department_id IN (?)", bun.In(departmentIDs))
		}
		return q
	}
	// A successor who has departed covers nothing.
	const live = `SELECT 1 FROM ballast_successors AS s JOIN ballast_employees AS e ON e.tenant_id = s.tenant_id AND e.id = s.employee_id
		WHERE s.tenant_id = p.tenant_id AND s.position_id = p.id AND e.status <> 'departed'`
	var ready *int
	err := scoped(s.conn(ctx).NewSelect().TableExpr("ballast_positions AS p").
		ColumnExpr("COUNT(*)").
		ColumnExpr("SUM(CASE WHEN EXISTS ("+live+" AND s.readiness = ?) THEN 1 ELSE 0 END)", readyNow)).
		Scan(ctx, &c.CriticalPositions, &ready)
	if err != nil {
		return c, translate("coverage counts", err)
	}
	if ready != nil {
		c.ReadyNow = *ready
	}
	if err := scoped(s.conn(ctx).NewSelect().TableExpr("ballast_positions AS p").
		ColumnExpr("p.id AS position_id, p.title, p.department_id").
		Where("NOT EXISTS ("+live+")")).OrderExpr("p.title, p.id").Scan(ctx, &c.WithoutSuccessor); err != nil {
		return c, translate("positions without successor", err)
	}
	if err := scoped(s.conn(ctx).NewSelect().TableExpr("ballast_successors AS s").
		ColumnExpr("s.employee_id, e.name, COUNT(*) AS positions").
		Join("JOIN ballast_positions AS p ON p.tenant_id = s.tenant_id AND p.id = s.position_id").
		Join("JOIN ballast_employees AS e ON e.tenant_id = s.tenant_id AND e.id = s.employee_id").
		Where("s.tenant_id = ? AND e.status <> 'departed'", tenant)).
		GroupExpr("s.employee_id, e.name").Having("COUNT(*) > 1").
		OrderExpr("positions DESC, e.name, s.employee_id").Scan(ctx, &c.Shared); err != nil {
		return c, translate("shared successors", err)
	}
	var risks []struct {
		PositionID   string `bun:"position_id"`
		Title        string `bun:"title"`
		DepartmentID string `bun:"department_id"`
		EmployeeID   string `bun:"employee_id"`
		Name         string `bun:"name"`
		Status       string `bun:"status"`
		KeyPerson    bool   `bun:"key_person"`
	}
	if err := scoped(s.conn(ctx).NewSelect().TableExpr("ballast_positions AS p").
		ColumnExpr("p.id AS position_id, p.title, p.department_id, e.id AS employee_id, e.name, e.status, e.key_person").
		Join("JOIN ballast_employees AS e ON e.tenant_id = p.tenant_id AND e.position_id = p.id").
		Where("(e.status = 'resigning' OR (e.key_person AND e.status <> 'departed'))")).
		OrderExpr("p.title, p.id, e.name, e.id").Scan(ctx, &risks); err != nil {
		return c, translate("flight risks", err)
	}
	for _, r := range risks {
		c.FlightRisks = append(c.FlightRisks, succession.FlightRisk{
			PositionRef: succession.PositionRef{PositionID: r.PositionID, Title: r.Title, DepartmentID: r.DepartmentID},
			Incumbent:   succession.Incumbent{EmployeeID: r.EmployeeID, Name: r.Name, Resigning: r.Status == "resigning", KeyPerson: r.KeyPerson}})
	}
	return c, nil
}

type potentialRow struct {
	bun.BaseModel `bun:"table:ballast_succession_potential,alias:pt"`
	TenantID      string    `bun:"tenant_id,pk"`
	EmployeeID    string    `bun:"employee_id,pk"`
	Rating        string    `bun:"rating"`
	Note          string    `bun:"note"`
	RatedBy       string    `bun:"rated_by"`
	RatedAt       time.Time `bun:"rated_at"`
	Version       int64     `bun:"version"`
}

func (s successionStore) Potential(ctx context.Context, tenant, employeeID string) (succession.PotentialRating, error) {
	var row potentialRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("pt.tenant_id = ? AND pt.employee_id = ?", tenant, employeeID).Scan(ctx); err != nil {
		return succession.PotentialRating{}, translate("potential of "+employeeID, err)
	}
	return succession.PotentialRating{EmployeeID: row.EmployeeID, Rating: succession.Potential(row.Rating), Note: row.Note,
		RatedBy: row.RatedBy, RatedAt: row.RatedAt.UTC(), Version: row.Version}, nil
}

func (s successionStore) SavePotential(ctx context.Context, tenant string, r succession.PotentialRating, expected int64) error {
	row := potentialRow{TenantID: tenant, EmployeeID: r.EmployeeID, Rating: string(r.Rating), Note: r.Note, RatedBy: r.RatedBy,
		RatedAt: r.RatedAt, Version: r.Version}
	if expected == 0 {
		_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
		return translate("insert potential", err)
	}
	res, err := s.conn(ctx).NewUpdate().Model(&row).Column("rating", "note", "rated_by", "rated_at", "version").
		Where("tenant_id = ? AND employee_id = ? AND version = ?", tenant, r.EmployeeID, expected).Exec(ctx)
	return hrStore(s).checkUpdated(ctx, "update potential of "+r.EmployeeID, res, err, "ballast_succession_potential",
		"tenant_id = ? AND employee_id = ?", tenant, r.EmployeeID)
}

func (s successionStore) NineBox(ctx context.Context, tenant string, departmentIDs []string, periods int) ([]succession.BoxEntry, error) {
	if len(departmentIDs) == 0 {
		return []succession.BoxEntry{}, nil
	}
	if periods < 1 {
		periods = 1
	}
	ranked := s.conn(ctx).NewSelect().TableExpr("ballast_performance_records AS r").
		ColumnExpr("r.employee_id, r.score").
		ColumnExpr("ROW_NUMBER() OVER (PARTITION BY r.employee_id ORDER BY r.period_end DESC, r.period DESC) AS rn").
		Join("JOIN ballast_employees AS x ON x.tenant_id = r.tenant_id AND x.id = r.employee_id").
		Where("r.tenant_id = ? AND x.department_id IN (?) AND x.status <> 'departed'", tenant, bun.In(departmentIDs))
	perf := s.conn(ctx).NewSelect().TableExpr("(?) AS t", ranked).ColumnExpr("t.employee_id, AVG(t.score) AS score").
		Where("t.rn <= ?", periods).GroupExpr("t.employee_id")
	var rows []struct {
		ID           string       `bun:"id"`
		Name         string       `bun:"name"`
		DepartmentID string       `bun:"department_id"`
		Score        *float64     `bun:"score"`
		Rating       *string      `bun:"rating"`
		RatedAt      bun.NullTime `bun:"rated_at"`
	}
	err := s.conn(ctx).NewSelect().TableExpr("ballast_employees AS e").
		ColumnExpr("e.id, e.name, e.department_id, pf.score, pt.rating, pt.rated_at").
		Join("LEFT JOIN (?) AS pf ON pf.employee_id = e.id", perf).
		Join("LEFT JOIN ballast_succession_potential AS pt ON pt.tenant_id = e.tenant_id AND pt.employee_id = e.id").
		Where("e.tenant_id = ? AND e.department_id IN (?) AND e.status <> 'departed'", tenant, bun.In(departmentIDs)).
		OrderExpr("e.name, e.id").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("9-box", err)
	}
	out := make([]succession.BoxEntry, len(rows))
	for i, r := range rows {
		out[i] = succession.BoxEntry{EmployeeID: r.ID, Name: r.Name, DepartmentID: r.DepartmentID, Performance: r.Score}
		if r.Rating != nil {
			out[i].Potential = succession.Potential(*r.Rating)
		}
		if !r.RatedAt.IsZero() {
			out[i].RatedAt = r.RatedAt.Time.UTC()
		}
	}
	return out, nil
}
