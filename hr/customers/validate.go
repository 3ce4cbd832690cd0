package customers

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
)

// Limits on a customer record.
const (
	maxName      = 200
	maxShort     = 100 // industry, region, role, channel
	maxProduct   = 200
	maxNeeds     = 4000
	maxNote      = 2000
	maxNextStep  = 500
	maxEmail     = 254
	maxPhone     = 32
	maxContacts  = 100
	maxDeals     = 1000
	maxFollowUps = 1000
	maxReason    = 2000
)

// normalize fills the defaults of p: trimmed texts, TierStandard and
// DefaultCurrency.
func (p Params) normalize() Params {
	p.Name = strings.TrimSpace(p.Name)
	p.Industry = strings.TrimSpace(p.Industry)
	p.Region = strings.TrimSpace(p.Region)
	if p.Tier == "" {
		p.Tier = TierStandard
	}
	if p.Currency == "" {
		p.Currency = DefaultCurrency
	}
	return p
}

// validate adds every bad field of p (already normalised) to v.
func (p Params) validate(v *ballast.ValidationError) {
	text(v, "name", p.Name, maxName, true)
	text(v, "industry", p.Industry, maxShort, false)
	text(v, "region", p.Region, maxShort, false)
	if !slices.Contains(Tiers, p.Tier) {
		v.Add("tier", fmt.Sprintf("must be one of %q", Tiers))
	}
	if p.AnnualValueCents < 0 {
		v.Add("annual_value_cents", "must not be negative")
	}
	if len(p.Currency) != 3 || strings.ToUpper(p.Currency) != p.Currency || strings.IndexFunc(p.Currency, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		v.Add("currency", "must be a three-letter ISO 4217 code such as CNY")
	}
	text(v, "needs", p.Needs, maxNeeds, false)
	if len(p.Contacts) > maxContacts {
		v.Add("contacts", fmt.Sprintf("has more than %d entries", maxContacts))
	}
	for i, c := range p.Contacts {
		f := fmt.Sprintf("contacts[%d].", i)
		text(v, f+"name", c.Name, maxName, true)
		text(v, f+"role", c.Role, maxShort, false)
		phone(v, f+"phone", c.Phone)
		email(v, f+"email", c.Email)
	}
	if len(p.Deals) > maxDeals {
		v.Add("deals", fmt.Sprintf("has more than %d entries", maxDeals))
	}
	for i, d := range p.Deals {
		f := fmt.Sprintf("deals[%d].", i)
		date(v, f+"date", d.Date)
		if d.AmountCents < 0 {
			v.Add(f+"amount_cents", "must not be negative")
		}
		text(v, f+"product", d.Product, maxProduct, false)
	}
	if len(p.FollowUps) > maxFollowUps {
		v.Add("follow_ups", fmt.Sprintf("has more than %d entries", maxFollowUps))
	}
	for i, u := range p.FollowUps {
		f := fmt.Sprintf("follow_ups[%d].", i)
		date(v, f+"date", u.Date)
		text(v, f+"channel", u.Channel, maxShort, false)
		text(v, f+"note", u.Note, maxNote, false)
		text(v, f+"next_step", u.NextStep, maxNextStep, false)
	}
}

// text checks a free-text field: required, length in characters, valid
// UTF-8 without NUL.
func text(v *ballast.ValidationError, field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		v.Add(field, "is required")
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		v.Add(field, "is not valid text")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, fmt.Sprintf("is longer than %d characters", max))
	}
}

// date checks a required calendar date.
func date(v *ballast.ValidationError, field string, d hr.Date) {
	if d.IsZero() {
		v.Add(field, "is required")
		return
	}
	if back, err := hr.ParseDate(d.String()); err != nil || back != d {
		v.Add(field, "is not a real date")
	}
}

func email(v *ballast.ValidationError, field, s string) {
	if s == "" {
		return
	}
	if len(s) > maxEmail {
		v.Add(field, fmt.Sprintf("is longer than %d characters", maxEmail))
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		v.Add(field, "is not an email address")
	}
}

func phone(v *ballast.ValidationError, field, s string) {
	if s == "" {
		return
	}
	if len(s) > maxPhone {
		v.Add(field, fmt.Sprintf("is longer than %d characters", maxPhone))
		return
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789+-() ", r) {
			v.Add(field, "may hold only digits, spaces and + - ( )")
			return
		}
	}
}
