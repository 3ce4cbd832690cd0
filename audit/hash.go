package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// encodingV1 opens the canonical encoding of every entry hashed so far. A
// future encoding gets a new tag; Verify dispatches on it.
const encodingV1 = "ballast.audit.v1"

// timeLayout renders Entry.At in the canonical encoding: UTC, always six
// fractional digits.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// HashEntry returns the hex SHA-256 of e's canonical encoding, version 1.
// The encoding is a sequence of netstrings (decimal byte length, ':', the
// bytes, ','), in this fixed order:
//
//	"ballast.audit.v1", Tenant, ID, Seq (decimal), At (UTC,
//	"2006-01-02T15:04:05.000000Z"), Actor, ActorKind, Action, TargetType,
//	TargetID, Reason, len(Changes) (decimal), then Path, Before, After of
//	each change in order, and last PrevHash.
//
// Every field of the entry except Hash itself is covered, and no two
// different entries share an encoding. An auditor can recompute it in a
// few lines of any language.
func HashEntry(e Entry) string {
	var buf [512]byte
	b := buf[:0]
	b = netstring(b, encodingV1)
	b = netstring(b, e.Tenant)
	b = netstring(b, e.ID)
	b = netstring(b, strconv.FormatInt(e.Seq, 10))
	b = netstring(b, e.At.UTC().Format(timeLayout))
	b = netstring(b, e.Actor)
	b = netstring(b, e.ActorKind)
	b = netstring(b, e.Action)
	b = netstring(b, e.TargetType)
	b = netstring(b, e.TargetID)
	b = netstring(b, e.Reason)
	b = netstring(b, strconv.Itoa(len(e.Changes)))
	for _, c := range e.Changes {
		b = netstring(b, c.Path)
		b = netstring(b, c.Before)
		b = netstring(b, c.After)
	}
	b = netstring(b, e.PrevHash)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func netstring(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, ',')
}

// link completes e as the entry after prev: its position, predecessor hash
// and own hash.
func link(e Entry, prev Head) Entry {
	e.Seq = prev.Seq + 1
	e.PrevHash = prev.Hash
	e.Hash = HashEntry(e)
	return e
}

// canonicalTime is how an entry's time is kept: UTC, microseconds (what
// PostgreSQL stores).
func canonicalTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
