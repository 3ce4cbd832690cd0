package storage

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/ballast-hr/ballast/audit"
)

// Reading audit entries is on Verify's hot path (100,000 entries in well
// under a second), so rows are scanned by hand rather than through bun's
// reflection, and the changes column has a fast decoder for the JSON this
// package writes.

// auditColumns are the columns scanAuditEntries reads, in its order.
const auditColumns = "tenant_id, id, seq, at, actor, actor_kind, action, target_type, target_id, reason, changes, prev_hash, hash"

func scanAuditEntries(rows *sql.Rows, capacity int) ([]audit.Entry, error) {
	defer rows.Close()
	out := make([]audit.Entry, 0, capacity)
	for rows.Next() {
		var (
			e       audit.Entry
			seq     sql.NullInt64
			at      auditTime
			changes string
		)
		if err := rows.Scan(&e.Tenant, &e.ID, &seq, &at, &e.Actor, &e.ActorKind, &e.Action, &e.TargetType,
			&e.TargetID, &e.Reason, &changes, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.Seq = seq.Int64
		e.At = at.t
		e.Changes = decodeChanges(changes)
		out = append(out, e)
	}
	return out, rows.Err()
}

// auditTime scans a timestamp as either driver delivers it: time.Time
// (pgx; modernc for TIMESTAMP columns) or text.
type auditTime struct{ t time.Time }

func (a *auditTime) Scan(v any) error {
	switch v := v.(type) {
	case time.Time:
		a.t = v.UTC()
		return nil
	case string:
		return a.parse(v)
	case []byte:
		return a.parse(string(v))
	}
	return fmt.Errorf("audit time: cannot scan %T", v)
}

func (a *auditTime) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			a.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("audit time: cannot parse %q", s)
}

// encodeChanges renders changes as the changes column holds them.
func encodeChanges(cs []audit.Change) (string, error) {
	if len(cs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(cs)
	return string(b), err
}

// decodeChanges reads the changes column. Text that no longer parses (it
// was tampered with) becomes one change holding it, so the entry's hash
// cannot match and Verify reports it.
func decodeChanges(s string) []audit.Change {
	if s == "" || s == "[]" {
		return nil
	}
	if cs, ok := decodeChangesFast(s); ok {
		return cs
	}
	var cs []audit.Change
	if err := json.Unmarshal([]byte(s), &cs); err != nil {
		return []audit.Change{{Path: "(unreadable)", Before: s}}
	}
	return cs
}

// decodeChangesFast parses exactly what json.Marshal writes for []Change
// when no string needs an escape: [{"path":"…","before":"…","after":"…"},…]
// with before and after optional. Anything else is left to encoding/json.
func decodeChangesFast(s string) ([]audit.Change, bool) {
	if strings.IndexByte(s, '\\') >= 0 || len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, false
	}
	s = s[1 : len(s)-1]
	cs := make([]audit.Change, 0, strings.Count(s, `{"path":`))
	for len(s) > 0 {
		var c audit.Change
		var ok bool
		if s, ok = strings.CutPrefix(s, `{"path":"`); !ok {
			return nil, false
		}
		if c.Path, s, ok = strings.Cut(s, `"`); !ok {
			return nil, false
		}
		if rest, ok := strings.CutPrefix(s, `,"before":"`); ok {
			if c.Before, s, ok = strings.Cut(rest, `"`); !ok {
				return nil, false
			}
		}
		if rest, ok := strings.CutPrefix(s, `,"after":"`); ok {
			if c.After, s, ok = strings.Cut(rest, `"`); !ok {
				return nil, false
			}
		}
		if s, ok = strings.CutPrefix(s, "}"); !ok {
			return nil, false
		}
		cs = append(cs, c)
		if len(s) > 0 {
			if s, ok = strings.CutPrefix(s, ","); !ok || len(s) == 0 {
				return nil, false
			}
		}
	}
	return cs, true
}
