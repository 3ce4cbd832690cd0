package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/talent/training"
)

// Training returns the store of the talent/training package, on this
// database.
func (db *DB) Training() training.Store { return trainingStore{db: db} }

// trainingStore implements training.Store. Every query names tenant_id
// and runs on db.Conn(ctx), so it joins the use case's transaction.
type trainingStore struct{ db *DB }

func (s trainingStore) conn(ctx context.Context) bun.IDB { return s.db.Conn(ctx) }

// lock adds FOR UPDATE inside a transaction on PostgreSQL.
func (s trainingStore) lock(ctx context.Context, sel *bun.SelectQuery) *bun.SelectQuery {
	if _, inTx := TxFrom(ctx); inTx && s.db.dialect == Postgres {
		return sel.For("UPDATE")
	}
	return sel
}

func (s trainingStore) checked(ctx context.Context, op string, res interface{ RowsAffected() (int64, error) }, err error, table, where string, args ...any) error {
	return hrStore(s).checkUpdated(ctx, op, res, err, table, where, args...)
}

// trainingSkillKey is how skill names are keyed: trimmed, lower case.
func trainingSkillKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

type trCourseRow struct {
	bun.BaseModel `bun:"table:ballast_training_courses,alias:c"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	Code          string    `bun:"code"`
	Title         string    `bun:"title"`
	Kind          string    `bun:"kind"`
	Hours         float64   `bun:"hours"`
	IndicatorCode string    `bun:"indicator_code"`
	PassMark      float64   `bun:"pass_mark"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

type trCourseSkillRow struct {
	bun.BaseModel `bun:"table:ballast_training_course_skills,alias:k"`
	TenantID      string `bun:"tenant_id,pk"`
	CourseID      string `bun:"course_id,pk"`
	SkillKey      string `bun:"skill_key,pk"`
	Name          string `bun:"name"`
	Level         int    `bun:"level"`
	Ord           int    `bun:"ord"`
}

func (s trainingStore) putCourseSkills(ctx context.Context, tenant string, c training.Course) error {
	if _, err := s.conn(ctx).NewDelete().Model((*trCourseSkillRow)(nil)).
		Where("tenant_id = ? AND course_id = ?", tenant, c.ID).Exec(ctx); err != nil {
		return translate("delete course skills", err)
	}
	if len(c.Skills) == 0 {
		return nil
	}
	rows := make([]trCourseSkillRow, len(c.Skills))
	for i, sk := range c.Skills {
		rows[i] = trCourseSkillRow{TenantID: tenant, CourseID: c.ID, SkillKey: trainingSkillKey(sk.Name), Name: sk.Name, Level: sk.Level, Ord: i}
	}
	_, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx)
	return translate("insert course skills", err)
}

// courses turns rows into courses with their skills (one query for all).
func (s trainingStore) courses(ctx context.Context, tenant string, rows []trCourseRow) ([]training.Course, error) {
	out := make([]training.Course, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	at := make(map[string]int, len(rows))
	for i, r := range rows {
		ids[i], at[r.ID] = r.ID, i
		out[i] = training.Course{ID: r.ID, Code: r.Code, Title: r.Title, Kind: training.Kind(r.Kind), Hours: r.Hours,
			Skills: []training.SkillLevel{}, IndicatorCode: r.IndicatorCode, PassMark: r.PassMark,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	}
	var sks []trCourseSkillRow
	if err := s.conn(ctx).NewSelect().Model(&sks).Where("k.tenant_id = ? AND k.course_id IN (?)", tenant, bun.In(ids)).
		OrderExpr("k.course_id, k.ord").Scan(ctx); err != nil {
		return nil, translate("course skills", err)
	}
	for _, k := range sks {
		c := &out[at[k.CourseID]]
		c.Skills = append(c.Skills, training.SkillLevel{Name: k.Name, Level: k.Level})
	}
	return out, nil
}

func trCourseRowOf(tenant string, c training.Course) trCourseRow {
	return trCourseRow{TenantID: tenant, ID: c.ID, Code: c.Code, Title: c.Title, Kind: string(c.Kind), Hours: c.Hours,
		IndicatorCode: c.IndicatorCode, PassMark: c.PassMark, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Version: c.Version}
}

func (s trainingStore) InsertCourse(ctx context.Context, tenant string, c training.Course) error {
	row := trCourseRowOf(tenant, c)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx); err != nil {
			return translate("insert course", err)
		}
		return s.putCourseSkills(ctx, tenant, c)
	})
}

func (s trainingStore) Course(ctx context.Context, tenant, id string) (training.Course, error) {
	var rows []trCourseRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("c.tenant_id = ? AND c.id = ?", tenant, id).Scan(ctx); err != nil {
		return training.Course{}, translate("course "+id, err)
	}
	if len(rows) == 0 {
		return training.Course{}, translate("course "+id, sql.ErrNoRows)
	}
	cs, err := s.courses(ctx, tenant, rows)
	if err != nil {
		return training.Course{}, err
	}
	return cs[0], nil
}

func (s trainingStore) UpdateCourse(ctx context.Context, tenant string, c training.Course, expected int64) error {
	row := trCourseRowOf(tenant, c)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.conn(ctx).NewUpdate().Model(&row).
			Column("code", "title", "kind", "hours", "indicator_code", "pass_mark", "updated_at", "version").
			Where("tenant_id = ? AND id = ? AND version = ?", tenant, c.ID, expected).Exec(ctx)
		if err := s.checked(ctx, "update course "+c.ID, res, err, "ballast_training_courses", "tenant_id = ? AND id = ?", tenant, c.ID); err != nil {
			return err
		}
		return s.putCourseSkills(ctx, tenant, c)
	})
}

func (s trainingStore) ListCourses(ctx context.Context, tenant string, q training.CourseQuery) ([]training.Course, error) {
	var rows []trCourseRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("c.tenant_id = ?", tenant)
	if q.After != "" {
		sel = sel.Where("c.code > ?", q.After)
	}
	sel = sel.OrderExpr("c.code")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list courses", err)
	}
	return s.courses(ctx, tenant, rows)
}

func (s trainingStore) CoursesBuilding(ctx context.Context, tenant string, skills []string) ([]training.Course, error) {
	if len(skills) == 0 {
		return []training.Course{}, nil
	}
	keys := make([]string, len(skills))
	for i, sk := range skills {
		keys[i] = trainingSkillKey(sk)
	}
	var rows []trCourseRow
	err := s.conn(ctx).NewSelect().Model(&rows).
		Where("c.tenant_id = ?", tenant).
		Where("c.id IN (SELECT k.course_id FROM ballast_training_course_skills AS k WHERE k.tenant_id = ? AND k.skill_key IN (?))", tenant, bun.In(keys)).
		OrderExpr("c.code").Scan(ctx)
	if err != nil {
		return nil, translate("courses building skills", err)
	}
	return s.courses(ctx, tenant, rows)
}

type trSessionRow struct {
	bun.BaseModel `bun:"table:ballast_training_sessions,alias:s"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	CourseID      string    `bun:"course_id"`
	Day           string    `bun:"day"`
	EndDay        string    `bun:"end_day"`
	StartsAt      time.Time `bun:"starts_at"`
	EndsAt        time.Time `bun:"ends_at"`
	Trainer       string    `bun:"trainer"`
	Location      string    `bun:"location"`
	Link          string    `bun:"link"`
	Capacity      int       `bun:"capacity"`
	Status        string    `bun:"status"`
	RemindOn      string    `bun:"remind_on,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
	Enrolled      int       `bun:"enrolled,scanonly"`
	Waitlisted    int       `bun:"waitlisted,scanonly"`
}

func trSessionRowOf(tenant string, x training.Session) trSessionRow {
	return trSessionRow{TenantID: tenant, ID: x.ID, CourseID: x.CourseID, Day: dayText(x.Date), EndDay: dayText(x.EndDate), StartsAt: x.StartsAt,
		EndsAt: x.EndsAt, Trainer: x.Trainer, Location: x.Location, Link: x.Link, Capacity: x.Capacity, Status: string(x.Status),
		RemindOn: dayText(x.RemindOn), CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt, Version: x.Version}
}

func (r trSessionRow) record() training.Session {
	return training.Session{ID: r.ID, CourseID: r.CourseID, Date: parseDay(r.Day), EndDate: parseDay(r.EndDay), StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(),
		Trainer: r.Trainer, Location: r.Location, Link: r.Link, Capacity: r.Capacity, Status: training.SessionStatus(r.Status),
		Enrolled: r.Enrolled, Waitlisted: r.Waitlisted, RemindOn: parseDay(r.RemindOn), CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
}

// selectSessions selects sessions with their seat counts.
func (s trainingStore) selectSessions(ctx context.Context, rows *[]trSessionRow) *bun.SelectQuery {
	return s.conn(ctx).NewSelect().Model(rows).Column("s.*").
		ColumnExpr("(SELECT COUNT(*) FROM ballast_training_enrolments AS e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id AND e.status = 'enrolled') AS enrolled").
		ColumnExpr("(SELECT COUNT(*) FROM ballast_training_enrolments AS e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id AND e.status = 'waitlisted') AS waitlisted")
}

func sessionRecords(rows []trSessionRow) []training.Session {
	out := make([]training.Session, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out
}

func (s trainingStore) InsertSession(ctx context.Context, tenant string, x training.Session) error {
	row := trSessionRowOf(tenant, x)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert session", err)
}

func (s trainingStore) Session(ctx context.Context, tenant, id string, lock bool) (training.Session, error) {
	if lock {
		// Lock the row on its own (PostgreSQL refuses FOR UPDATE beside
		// aggregates in some plans), then read it with its counts.
		var row trSessionRow
		sel := s.conn(ctx).NewSelect().Model(&row).Column("s.id").Where("s.tenant_id = ? AND s.id = ?", tenant, id)
		if err := s.lock(ctx, sel).Scan(ctx); err != nil {
			return training.Session{}, translate("session "+id, err)
		}
	}
	var rows []trSessionRow
	if err := s.selectSessions(ctx, &rows).Where("s.tenant_id = ? AND s.id = ?", tenant, id).Scan(ctx); err != nil {
		return training.Session{}, translate("session "+id, err)
	}
	if len(rows) == 0 {
		return training.Session{}, translate("session "+id, sql.ErrNoRows)
	}
	return rows[0].record(), nil
}

func (s trainingStore) UpdateSession(ctx context.Context, tenant string, x training.Session, expected int64) error {
	row := trSessionRowOf(tenant, x)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("day", "end_day", "starts_at", "ends_at", "trainer", "location", "link", "capacity", "status", "remind_on", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, x.ID, expected).Exec(ctx)
	return s.checked(ctx, "update session "+x.ID, res, err, "ballast_training_sessions", "tenant_id = ? AND id = ?", tenant, x.ID)
}

func (s trainingStore) ListSessions(ctx context.Context, tenant string, q training.SessionQuery) ([]training.Session, error) {
	var rows []trSessionRow
	sel := s.selectSessions(ctx, &rows).Where("s.tenant_id = ?", tenant)
	if q.CourseID != "" {
		sel = sel.Where("s.course_id = ?", q.CourseID)
	}
	if !q.From.IsZero() {
		sel = sel.Where("s.day >= ?", q.From.String())
	}
	if !q.To.IsZero() {
		sel = sel.Where("s.day <= ?", q.To.String())
	}
	if len(q.Statuses) > 0 {
		st := make([]string, len(q.Statuses))
		for i, x := range q.Statuses {
			st[i] = string(x)
		}
		sel = sel.Where("s.status IN (?)", bun.In(st))
	}
	sel = sel.OrderExpr("s.starts_at, s.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list sessions", err)
	}
	return sessionRecords(rows), nil
}

func (s trainingStore) DueSessions(ctx context.Context, tenant string, day hr.Date, limit int) ([]training.Session, error) {
	var ids []string
	sel := s.conn(ctx).NewSelect().Table("ballast_training_sessions").Column("id").
		Where("tenant_id = ? AND remind_on IS NOT NULL AND remind_on <= ? AND status = 'scheduled'", tenant, day.String()).
		OrderExpr("remind_on, id").Limit(int64(limit))
	if _, inTx := TxFrom(ctx); inTx && s.db.dialect == Postgres {
		sel = sel.For("UPDATE SKIP LOCKED")
	}
	if err := sel.Scan(ctx, &ids); err != nil {
		return nil, translate("due sessions", err)
	}
	if len(ids) == 0 {
		return []training.Session{}, nil
	}
	var rows []trSessionRow
	if err := s.selectSessions(ctx, &rows).Where("s.tenant_id = ? AND s.id IN (?)", tenant, bun.In(ids)).
		OrderExpr("s.remind_on, s.id").Scan(ctx); err != nil {
		return nil, translate("due sessions", err)
	}
	return sessionRecords(rows), nil
}

func (s trainingStore) SetRemindOn(ctx context.Context, tenant, sessionID string, day hr.Date) error {
	var v any
	if !day.IsZero() {
		v = day.String()
	}
	_, err := s.conn(ctx).NewUpdate().Table("ballast_training_sessions").Set("remind_on = ?", v).
		Where("tenant_id = ? AND id = ?", tenant, sessionID).Exec(ctx)
	return translate("set session reminder", err)
}

type trEnrolmentRow struct {
	bun.BaseModel `bun:"table:ballast_training_enrolments,alias:e"`
	TenantID      string    `bun:"tenant_id,pk"`
	ID            string    `bun:"id,pk"`
	SessionID     string    `bun:"session_id"`
	CourseID      string    `bun:"course_id"`
	EmployeeID    string    `bun:"employee_id"`
	Status        string    `bun:"status"`
	Live          *bool     `bun:"live"`
	Attended      *bool     `bun:"attended"`
	Score         *float64  `bun:"score"`
	Passed        bool      `bun:"passed"`
	CertificateID string    `bun:"certificate_id,nullzero"`
	CertifiedAt   time.Time `bun:"certified_at,nullzero"`
	SkillsBefore  string    `bun:"skills_before"`
	EnrolledBy    string    `bun:"enrolled_by"`
	EnrolledAt    time.Time `bun:"enrolled_at"`
	CancelledBy   string    `bun:"cancelled_by"`
	CancelReason  string    `bun:"cancel_reason"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Version       int64     `bun:"version"`
}

func trEnrolmentRowOf(tenant string, e training.Enrolment) trEnrolmentRow {
	var live *bool
	if e.Status != training.Cancelled {
		t := true
		live = &t
	}
	return trEnrolmentRow{TenantID: tenant, ID: e.ID, SessionID: e.SessionID, CourseID: e.CourseID, EmployeeID: e.EmployeeID,
		Status: string(e.Status), Live: live, Attended: e.Attended, Score: e.Score, Passed: e.Passed,
		CertificateID: e.CertificateID, CertifiedAt: e.CertifiedAt, SkillsBefore: jsonText(nonNilSlice(e.SkillsBefore)),
		EnrolledBy: e.EnrolledBy, EnrolledAt: e.EnrolledAt, CancelledBy: e.CancelledBy, CancelReason: e.CancelReason,
		UpdatedAt: e.UpdatedAt, Version: e.Version}
}

func (r trEnrolmentRow) record() (training.Enrolment, error) {
	e := training.Enrolment{ID: r.ID, SessionID: r.SessionID, CourseID: r.CourseID, EmployeeID: r.EmployeeID,
		Status: training.EnrolmentStatus(r.Status), Attended: r.Attended, Score: r.Score, Passed: r.Passed,
		CertificateID: r.CertificateID, EnrolledBy: r.EnrolledBy, EnrolledAt: r.EnrolledAt.UTC(), CancelledBy: r.CancelledBy,
		CancelReason: r.CancelReason, UpdatedAt: r.UpdatedAt.UTC(), Version: r.Version}
	if !r.CertifiedAt.IsZero() {
		e.CertifiedAt = r.CertifiedAt.UTC()
	}
	if err := json.Unmarshal([]byte(r.SkillsBefore), &e.SkillsBefore); err != nil {
		return training.Enrolment{}, fmt.Errorf("storage: decode enrolment %s: %w", r.ID, err)
	}
	return e, nil
}

func (s trainingStore) InsertEnrolment(ctx context.Context, tenant string, e training.Enrolment) error {
	row := trEnrolmentRowOf(tenant, e)
	_, err := s.conn(ctx).NewInsert().Model(&row).Exec(ctx)
	return translate("insert enrolment", err)
}

func (s trainingStore) Enrolment(ctx context.Context, tenant, id string) (training.Enrolment, error) {
	var row trEnrolmentRow
	if err := s.conn(ctx).NewSelect().Model(&row).Where("e.tenant_id = ? AND e.id = ?", tenant, id).Scan(ctx); err != nil {
		return training.Enrolment{}, translate("enrolment "+id, err)
	}
	return row.record()
}

func (s trainingStore) UpdateEnrolment(ctx context.Context, tenant string, e training.Enrolment, expected int64) error {
	row := trEnrolmentRowOf(tenant, e)
	res, err := s.conn(ctx).NewUpdate().Model(&row).
		Column("status", "live", "attended", "score", "passed", "certificate_id", "certified_at", "skills_before",
			"cancelled_by", "cancel_reason", "updated_at", "version").
		Where("tenant_id = ? AND id = ? AND version = ?", tenant, e.ID, expected).Exec(ctx)
	return s.checked(ctx, "update enrolment "+e.ID, res, err, "ballast_training_enrolments", "tenant_id = ? AND id = ?", tenant, e.ID)
}

func (s trainingStore) ListEnrolments(ctx context.Context, tenant string, q training.EnrolmentQuery) ([]training.Enrolment, error) {
	var rows []trEnrolmentRow
	sel := s.conn(ctx).NewSelect().Model(&rows).Where("e.tenant_id = ?", tenant)
	if q.SessionID != "" {
		sel = sel.Where("e.session_id = ?", q.SessionID)
	}
	if q.CourseID != "" {
		sel = sel.Where("e.course_id = ?", q.CourseID)
	}
	if q.EmployeeID != "" {
		sel = sel.Where("e.employee_id = ?", q.EmployeeID)
	}
	if len(q.DepartmentIDs) > 0 {
		sel = sel.Where("e.employee_id IN (SELECT m.id FROM ballast_employees AS m WHERE m.tenant_id = ? AND m.department_id IN (?))",
			tenant, bun.In(q.DepartmentIDs))
	}
	if len(q.Statuses) > 0 {
		st := make([]string, len(q.Statuses))
		for i, x := range q.Statuses {
			st[i] = string(x)
		}
		sel = sel.Where("e.status IN (?)", bun.In(st))
	}
	if q.Attended {
		sel = sel.Where("e.attended = ?", true)
	}
	sel = sel.OrderExpr("e.enrolled_at, e.id")
	if q.Limit > 0 {
		sel = sel.Limit(int64(q.Limit))
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, translate("list enrolments", err)
	}
	out := make([]training.Enrolment, len(rows))
	for i, r := range rows {
		e, err := r.record()
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func (s trainingStore) CancelSessionEnrolments(ctx context.Context, tenant, sessionID, by, reason string, at time.Time) (int, error) {
	res, err := s.conn(ctx).NewUpdate().Table("ballast_training_enrolments").
		Set("status = 'cancelled'").Set("live = NULL").Set("cancelled_by = ?", by).Set("cancel_reason = ?", reason).
		Set("updated_at = ?", at).Set("version = version + 1").
		Where("tenant_id = ? AND session_id = ? AND status IN ('enrolled', 'waitlisted')", tenant, sessionID).Exec(ctx)
	if err != nil {
		return 0, translate("cancel session enrolments", err)
	}
	n, err := res.RowsAffected()
	return int(n), translate("cancel session enrolments", err)
}

func (s trainingStore) Outcomes(ctx context.Context, tenant, courseID string) ([]training.Outcome, error) {
	var rows []struct {
		ID           string   `bun:"id"`
		EmployeeID   string   `bun:"employee_id"`
		Certificate  *string  `bun:"certificate_id"`
		SkillsBefore string   `bun:"skills_before"`
		SkillsNow    *string  `bun:"skills_now"`
		Before       *float64 `bun:"before_score"`
		After        *float64 `bun:"after_score"`
	}
	// Each score lookup has one bound on period_end, so both planners stay
	// on the (tenant_id, employee_id, period_end) index.
	err := s.conn(ctx).NewSelect().TableExpr("ballast_training_enrolments AS e").
		ColumnExpr("e.id, e.employee_id, e.certificate_id, e.skills_before").
		ColumnExpr("CAST(p.skills AS TEXT) AS skills_now").
		ColumnExpr(`(SELECT r.score FROM ballast_performance_records AS r
			WHERE r.tenant_id = e.tenant_id AND r.employee_id = e.employee_id AND r.period_end < s.day
			ORDER BY r.period_end DESC LIMIT 1) AS before_score`).
		ColumnExpr(`(SELECT r.score FROM ballast_performance_records AS r
			WHERE r.tenant_id = e.tenant_id AND r.employee_id = e.employee_id AND r.period_end >= s.end_day
			ORDER BY r.period_end LIMIT 1) AS after_score`).
		Join("JOIN ballast_training_sessions AS s ON s.tenant_id = e.tenant_id AND s.id = e.session_id").
		Join("LEFT JOIN ballast_employee_profiles AS p ON p.tenant_id = e.tenant_id AND p.employee_id = e.employee_id").
		Where("e.tenant_id = ? AND e.course_id = ? AND e.status = 'enrolled' AND e.attended = ?", tenant, courseID, true).
		OrderExpr("e.enrolled_at, e.id").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("course outcomes", err)
	}
	out := make([]training.Outcome, len(rows))
	for i, r := range rows {
		o := training.Outcome{EnrolmentID: r.ID, EmployeeID: r.EmployeeID, Certified: r.Certificate != nil && *r.Certificate != "",
			SkillsNow: []hr.Skill{}, Before: r.Before, After: r.After}
		if err := json.Unmarshal([]byte(r.SkillsBefore), &o.SkillsBefore); err != nil {
			return nil, fmt.Errorf("storage: decode enrolment %s: %w", r.ID, err)
		}
		if r.SkillsNow != nil && *r.SkillsNow != "" {
			if err := json.Unmarshal([]byte(*r.SkillsNow), &o.SkillsNow); err != nil {
				return nil, fmt.Errorf("storage: decode skills of %s: %w", r.EmployeeID, err)
			}
		}
		out[i] = o
	}
	return out, nil
}

func (s trainingStore) Certificates(ctx context.Context, tenant, employeeID string) ([]training.Certificate, error) {
	var rows []struct {
		ID          string    `bun:"certificate_id"`
		EnrolmentID string    `bun:"id"`
		EmployeeID  string    `bun:"employee_id"`
		CourseID    string    `bun:"course_id"`
		Code        string    `bun:"code"`
		Title       string    `bun:"title"`
		Day         string    `bun:"day"`
		Score       float64   `bun:"score"`
		IssuedAt    time.Time `bun:"certified_at"`
	}
	err := s.conn(ctx).NewSelect().TableExpr("ballast_training_enrolments AS e").
		ColumnExpr("e.certificate_id, e.id, e.employee_id, e.course_id, c.code, c.title, s.day, e.score, e.certified_at").
		Join("JOIN ballast_training_courses AS c ON c.tenant_id = e.tenant_id AND c.id = e.course_id").
		Join("JOIN ballast_training_sessions AS s ON s.tenant_id = e.tenant_id AND s.id = e.session_id").
		Where("e.tenant_id = ? AND e.employee_id = ? AND e.certificate_id IS NOT NULL", tenant, employeeID).
		OrderExpr("e.certified_at DESC, e.id DESC").Scan(ctx, &rows)
	if err != nil {
		return nil, translate("certificates", err)
	}
	out := make([]training.Certificate, len(rows))
	for i, r := range rows {
		out[i] = training.Certificate{ID: r.ID, EnrolmentID: r.EnrolmentID, EmployeeID: r.EmployeeID, CourseID: r.CourseID,
			CourseCode: r.Code, CourseTitle: r.Title, SessionDate: parseDay(r.Day), Score: r.Score, IssuedAt: r.IssuedAt.UTC()}
	}
	return out, nil
}

type trPositionSkillRow struct {
	bun.BaseModel `bun:"table:ballast_training_position_skills,alias:p"`
	TenantID      string    `bun:"tenant_id,pk"`
	PositionID    string    `bun:"position_id,pk"`
	SkillKey      string    `bun:"skill_key,pk"`
	Name          string    `bun:"name"`
	Level         int       `bun:"level"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

func (s trainingStore) RequiredSkills(ctx context.Context, tenant, positionID string) ([]training.SkillLevel, error) {
	var rows []trPositionSkillRow
	if err := s.conn(ctx).NewSelect().Model(&rows).Where("p.tenant_id = ? AND p.position_id = ?", tenant, positionID).
		OrderExpr("p.skill_key").Scan(ctx); err != nil {
		return nil, translate("required skills", err)
	}
	out := make([]training.SkillLevel, len(rows))
	for i, r := range rows {
		out[i] = training.SkillLevel{Name: r.Name, Level: r.Level}
	}
	return out, nil
}

func (s trainingStore) PutRequiredSkills(ctx context.Context, tenant, positionID string, skills []training.SkillLevel, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.conn(ctx).NewDelete().Model((*trPositionSkillRow)(nil)).
			Where("tenant_id = ? AND position_id = ?", tenant, positionID).Exec(ctx); err != nil {
			return translate("delete required skills", err)
		}
		if len(skills) == 0 {
			return nil
		}
		rows := make([]trPositionSkillRow, len(skills))
		for i, sk := range skills {
			rows[i] = trPositionSkillRow{TenantID: tenant, PositionID: positionID, SkillKey: trainingSkillKey(sk.Name),
				Name: sk.Name, Level: sk.Level, UpdatedAt: at}
		}
		_, err := s.conn(ctx).NewInsert().Model(&rows).Exec(ctx)
		return translate("insert required skills", err)
	})
}
