-- hr: performance history leaves the profile's JSON for a table of its own,
-- one row per employee and period, so that rankings over periods (talent
-- pools: "top 15% over the last 3 years") run in SQL with window functions,
-- and a finalised assessment cycle writes its ratings in bulk.
CREATE TABLE ballast_performance_records (
    tenant_id   TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    period      TEXT NOT NULL,
    period_end  TEXT NOT NULL, -- YYYY-MM-DD, the period's last day
    score       REAL NOT NULL CHECK (score >= 0 AND score <= 100),
    grade       TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    cycle_id    TEXT NOT NULL DEFAULT '',
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, employee_id, period),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_performance_records_period ON ballast_performance_records (tenant_id, period_end);
--bun:split
-- Existing records move over; a label this migration cannot date (not
-- 2025, 2025H1, 2025Q3 or 2025-07) is dated by the profile's last update.
INSERT OR IGNORE INTO ballast_performance_records
    (tenant_id, employee_id, period, period_end, score, grade, source, cycle_id, recorded_at)
SELECT tenant_id, employee_id, period,
       CASE
           WHEN period GLOB '[0-9][0-9][0-9][0-9]' THEN period || '-12-31'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]H1' THEN substr(period, 1, 4) || '-06-30'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]H2' THEN substr(period, 1, 4) || '-12-31'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]Q1' THEN substr(period, 1, 4) || '-03-31'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]Q2' THEN substr(period, 1, 4) || '-06-30'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]Q3' THEN substr(period, 1, 4) || '-09-30'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]Q4' THEN substr(period, 1, 4) || '-12-31'
           WHEN period GLOB '[0-9][0-9][0-9][0-9]-0[1-9]' OR period GLOB '[0-9][0-9][0-9][0-9]-1[0-2]' THEN
               date(period || '-01', '+1 month', '-1 day')
           ELSE substr(updated_at, 1, 10)
       END,
       min(max(score, 0), 100), grade, source, '', updated_at
FROM (
    SELECT p.tenant_id, p.employee_id, p.updated_at,
           json_extract(e.value, '$.period') AS period,
           json_extract(e.value, '$.score') AS score,
           coalesce(json_extract(e.value, '$.grade'), '') AS grade,
           coalesce(json_extract(e.value, '$.source'), '') AS source
    FROM ballast_employee_profiles p, json_each(p.performance) e
    WHERE json_extract(e.value, '$.period') IS NOT NULL AND json_extract(e.value, '$.score') IS NOT NULL
);
--bun:split
ALTER TABLE ballast_employee_profiles DROP COLUMN performance;
