-- Failed sign-ins per login, to slow down password guessing: after
-- MaxFailures failures within FailureWindow the login is locked for
-- LockDuration, even with the right password. Keyed by the normalised
-- login as typed, so unknown logins are throttled alike and the lock does
-- not tell which logins exist. Times are Unix seconds (portable compares).
CREATE TABLE ballast_server_login_failures (
    login        TEXT NOT NULL PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start BIGINT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0
);
