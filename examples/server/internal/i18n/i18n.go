// Package i18n holds the reference server's message catalogs (zh-CN and en)
// and picks the language of a request.
//
// The catalogs are JSON files embedded in the binary, one per language, with
// the same keys (a test checks). A lookup falls back to English and then to
// the key itself, so a missing translation shows up as readable text rather
// than as an empty label:
//
//	cat, err := i18n.New()
//	if err != nil { ... }
//	cat.T(i18n.ZH, "nav.employees")                   // "员工"
//	cat.T(i18n.EN, "list.total", 42)                  // "42 employees"
//	lang := i18n.Negotiate(r, tenantLocale, i18n.ZH)  // cookie, tenant, Accept-Language, default
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The languages the server speaks.
const (
	// ZH is Simplified Chinese, the default for the demo company.
	ZH = "zh-CN"
	// EN is English, the fallback of every lookup.
	EN = "en"
)

// CookieName is the cookie that remembers the language a user switched to.
const CookieName = "lang"

// Languages lists the supported languages in the order the switch shows them.
func Languages() []string { return []string{ZH, EN} }

//go:embed messages/*.json
var messagesFS embed.FS

// Catalog holds the messages of every supported language. It is read-only
// after New and safe for concurrent use.
type Catalog struct {
	msgs map[string]map[string]string
}

// New parses the embedded catalogs. It fails only if a catalog file is
// missing or malformed, which is a build defect.
func New() (*Catalog, error) {
	c := &Catalog{msgs: make(map[string]map[string]string)}
	for _, lang := range Languages() {
		raw, err := messagesFS.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: read catalog %s: %w", lang, err)
		}
		m := make(map[string]string)
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("i18n: parse catalog %s: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	return c, nil
}

// Keys returns the sorted keys of lang's catalog (nil for an unknown
// language).
func (c *Catalog) Keys(lang string) []string {
	m := c.msgs[lang]
	if m == nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// T returns the message key in lang, formatted with args by fmt.Sprintf
// when any are given. It falls back to English, and then to the key itself.
func (c *Catalog) T(lang, key string, args ...any) string {
	msg, ok := c.msgs[lang][key]
	if !ok {
		msg, ok = c.msgs[EN][key]
	}
	if !ok {
		msg = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether lang's catalog holds key (without fallback).
func (c *Catalog) Has(lang, key string) bool {
	_, ok := c.msgs[lang][key]
	return ok
}

// Supported returns the supported language matching tag (case-insensitive;
// "zh", "zh-Hans", "zh-CN" match ZH; "en-US" matches EN) and whether there
// was one.
func Supported(tag string) (string, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch {
	case tag == "":
		return "", false
	case tag == "zh" || strings.HasPrefix(tag, "zh-cn") || strings.HasPrefix(tag, "zh-hans") || strings.HasPrefix(tag, "zh-sg"):
		return ZH, true
	case tag == "en" || strings.HasPrefix(tag, "en-"):
		return EN, true
	}
	return "", false
}

// Negotiate picks the language of a request: the lang cookie when it names
// a supported language; otherwise the tenant's locale (pass "" before
// sign-in); otherwise the best supported language of Accept-Language;
// otherwise def (and EN if def is not supported).
func Negotiate(r *http.Request, tenantLocale, def string) string {
	if ck, err := r.Cookie(CookieName); err == nil {
		if l, ok := Supported(ck.Value); ok {
			return l
		}
	}
	if l, ok := Supported(tenantLocale); ok {
		return l
	}
	if l, ok := fromAcceptLanguage(r.Header.Get("Accept-Language")); ok {
		return l
	}
	if l, ok := Supported(def); ok {
		return l
	}
	return EN
}

// fromAcceptLanguage returns the supported language with the highest
// quality in an Accept-Language header.
func fromAcceptLanguage(h string) (string, bool) {
	type cand struct {
		lang string
		q    float64
		pos  int
	}
	var cands []cand
	for i, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q <= 0 {
			continue
		}
		if l, ok := Supported(tag); ok {
			cands = append(cands, cand{l, q, i})
		}
	}
	if len(cands) == 0 {
		return "", false
	}
	slices.SortStableFunc(cands, func(a, b cand) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return a.pos - b.pos
	})
	return cands[0].lang, true
}
