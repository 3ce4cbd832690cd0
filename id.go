package ballast

import (
	"fmt"

	"github.com/google/uuid"
)

// NewID returns a new UUIDv7 string: time-ordered, so primary-key indexes
// stay append-mostly, and unique across instances without a sequence.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// uuid.NewV7 fails only when the system's random source does; there
		// is nothing sensible to fall back to.
		panic(fmt.Sprintf("ballast: generate id: %v", err))
	}
	return id.String()
}

// ValidID reports whether s is a well-formed identifier: a UUID in its
// canonical 36-character form. Hosts that keep their own IDs pass them as
// UUIDs too.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// CheckID returns a *ValidationError naming field when s is not a valid ID.
func CheckID(field, s string) error {
	if s == "" {
		return Invalid(field, "is required")
	}
	if !ValidID(s) {
		return Invalid(field, "is not a valid id")
	}
	return nil
}
