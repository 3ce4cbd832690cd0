-- talent: training (courses with the skills they build, sessions, enrolments
-- with attendance, scores and certificates, the skills positions require)
-- and mentoring (mentorships and their meetings log). Calendar days are
-- TEXT 'YYYY-MM-DD' in the tenant's zone; skill keys are lower-cased names.
CREATE TABLE ballast_training_courses (
    tenant_id      TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id             TEXT NOT NULL,
    code           TEXT NOT NULL,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('online', 'classroom')),
    hours          REAL NOT NULL,
    indicator_code TEXT NOT NULL DEFAULT '',
    pass_mark      REAL NOT NULL CHECK (pass_mark >= 0 AND pass_mark <= 100),
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_training_courses_code ON ballast_training_courses (tenant_id, code);
--bun:split
-- The skills a course builds, one row each, so that "courses building
-- skill X" is an index lookup.
CREATE TABLE ballast_training_course_skills (
    tenant_id TEXT NOT NULL,
    course_id TEXT NOT NULL,
    skill_key TEXT NOT NULL,
    name      TEXT NOT NULL,
    level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    ord       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, course_id, skill_key),
    FOREIGN KEY (tenant_id, course_id) REFERENCES ballast_training_courses (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_training_course_skills_key ON ballast_training_course_skills (tenant_id, skill_key);
--bun:split
CREATE TABLE ballast_training_sessions (
    tenant_id  TEXT NOT NULL,
    id         TEXT NOT NULL,
    course_id  TEXT NOT NULL,
    day        TEXT NOT NULL,
    end_day    TEXT NOT NULL,
    starts_at  TIMESTAMP NOT NULL,
    ends_at    TIMESTAMP NOT NULL,
    trainer    TEXT NOT NULL DEFAULT '',
    location   TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    status     TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    remind_on  TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, course_id) REFERENCES ballast_training_courses (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_training_sessions_start ON ballast_training_sessions (tenant_id, starts_at, id);
--bun:split
CREATE INDEX ballast_training_sessions_course ON ballast_training_sessions (tenant_id, course_id, starts_at);
--bun:split
-- Reconcile: sessions with a reminder to send.
CREATE INDEX ballast_training_sessions_remind ON ballast_training_sessions (tenant_id, remind_on) WHERE remind_on IS NOT NULL;
--bun:split
CREATE TABLE ballast_training_enrolments (
    tenant_id      TEXT NOT NULL,
    id             TEXT NOT NULL,
    session_id     TEXT NOT NULL,
    course_id      TEXT NOT NULL,
    employee_id    TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled')),
    -- live is TRUE while enrolled or waitlisted and NULL once cancelled: its
    -- unique index allows one live enrolment per session and employee.
    live           BOOLEAN CHECK (live),
    attended       BOOLEAN,
    score          REAL CHECK (score >= 0 AND score <= 100),
    passed         BOOLEAN NOT NULL DEFAULT 0,
    certificate_id TEXT,
    certified_at   TIMESTAMP,
    skills_before  TEXT NOT NULL,
    enrolled_by    TEXT NOT NULL,
    enrolled_at    TIMESTAMP NOT NULL,
    cancelled_by   TEXT NOT NULL DEFAULT '',
    cancel_reason  TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMP NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, session_id) REFERENCES ballast_training_sessions (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE UNIQUE INDEX ballast_training_enrolments_live ON ballast_training_enrolments (tenant_id, session_id, employee_id, live);
--bun:split
CREATE UNIQUE INDEX ballast_training_enrolments_certificate ON ballast_training_enrolments (tenant_id, certificate_id);
--bun:split
CREATE INDEX ballast_training_enrolments_session ON ballast_training_enrolments (tenant_id, session_id, enrolled_at, id);
--bun:split
CREATE INDEX ballast_training_enrolments_employee ON ballast_training_enrolments (tenant_id, employee_id, enrolled_at);
--bun:split
CREATE INDEX ballast_training_enrolments_course ON ballast_training_enrolments (tenant_id, course_id, enrolled_at);
--bun:split
-- The skills an hr position requires (no foreign key: deleting a position
-- stays hr's business; the rows of a deleted position are never read).
CREATE TABLE ballast_training_position_skills (
    tenant_id   TEXT NOT NULL,
    position_id TEXT NOT NULL,
    skill_key   TEXT NOT NULL,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, position_id, skill_key)
);
--bun:split
CREATE TABLE ballast_mentorships (
    tenant_id    TEXT NOT NULL REFERENCES ballast_tenants (tenant_id),
    id           TEXT NOT NULL,
    mentor_id    TEXT NOT NULL,
    mentee_id    TEXT NOT NULL,
    goals        TEXT NOT NULL,
    start_on     TEXT NOT NULL,
    end_on       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('active', 'completed', 'cancelled')),
    closed_on    TEXT,
    closed_by    TEXT NOT NULL DEFAULT '',
    close_reason TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (mentor_id <> mentee_id),
    FOREIGN KEY (tenant_id, mentor_id) REFERENCES ballast_employees (tenant_id, id),
    FOREIGN KEY (tenant_id, mentee_id) REFERENCES ballast_employees (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_mentorships_mentor ON ballast_mentorships (tenant_id, mentor_id, id);
--bun:split
CREATE INDEX ballast_mentorships_mentee ON ballast_mentorships (tenant_id, mentee_id, id);
--bun:split
CREATE TABLE ballast_mentoring_meetings (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    mentorship_id TEXT NOT NULL,
    day           TEXT NOT NULL,
    notes         TEXT NOT NULL,
    next_steps    TEXT NOT NULL DEFAULT '',
    author_id     TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, mentorship_id) REFERENCES ballast_mentorships (tenant_id, id)
);
--bun:split
CREATE INDEX ballast_mentoring_meetings_mentorship ON ballast_mentoring_meetings (tenant_id, mentorship_id, day, created_at, id);
--bun:split
-- Mentee improvement reads each mentee's last period before a date and
-- latest period up to another: an index by employee and period end keeps
-- those lookups on one employee's few rows (with only the period-end index
-- the planners walk every employee's records backwards).
CREATE INDEX ballast_performance_records_employee_end ON ballast_performance_records (tenant_id, employee_id, period_end);
