package i18n_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast/examples/server/internal/i18n"
)

func newCatalog(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.New()
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return c
}

func TestCatalogs_HaveTheSameKeys(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	en := c.Keys(i18n.EN)
	if len(en) == 0 {
		t.Fatal("English catalog is empty")
	}
	for _, lang := range i18n.Languages() {
		if diff := cmp.Diff(en, c.Keys(lang)); diff != "" {
			t.Errorf("keys of %s differ from en (-en +%s):\n%s", lang, lang, diff)
		}
	}
}

func TestCatalogs_HaveNoEmptyMessagesAndMatchingVerbs(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	for _, key := range c.Keys(i18n.EN) {
		en := c.T(i18n.EN, key)
		zh := c.T(i18n.ZH, key)
		if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			t.Errorf("%s: empty message (en %q, zh %q)", key, en, zh)
		}
		if ve, vz := strings.Count(en, "%"), strings.Count(zh, "%"); ve != vz {
			t.Errorf("%s: en has %d %% verbs, zh-CN %d", key, ve, vz)
		}
	}
}

func TestT_FallsBackToEnglishThenKey(t *testing.T) {
	t.Parallel()
	c := newCatalog(t)
	tests := []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{"chinese", i18n.ZH, "nav.org", nil, "组织架构"},
		{"english", i18n.EN, "nav.org", nil, "Organisation"},
		{"unknown language falls back to english", "fr", "nav.org", nil, "Organisation"},
		{"unknown key gives the key", i18n.ZH, "no.such.key", nil, "no.such.key"},
		{"arguments are formatted", i18n.EN, "org.count", []any{7}, "7 people"},
		{"arguments in chinese", i18n.ZH, "org.count", []any{7}, "7 人"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}

func TestNegotiate_CookieThenTenantThenAcceptLanguageThenDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		cookie         string
		tenant         string
		acceptLanguage string
		def            string
		want           string
	}{
		{"cookie wins over everything", "en", "zh-CN", "zh-CN", "zh-CN", i18n.EN},
		{"cookie zh", "zh-CN", "en", "en", "en", i18n.ZH},
		{"bad cookie is ignored", "xx", "en", "", "zh-CN", i18n.EN},
		{"tenant locale before accept-language", "", "zh-CN", "en-US,en;q=0.9", "en", i18n.ZH},
		{"accept-language when no tenant", "", "", "en-US,en;q=0.9", "zh-CN", i18n.EN},
		{"accept-language by quality", "", "", "fr;q=1, en;q=0.3, zh;q=0.8", "en", i18n.ZH},
		{"accept-language zh-Hans", "", "", "zh-Hans-CN", "en", i18n.ZH},
		{"q=0 is refused", "", "", "zh;q=0", "en", i18n.EN},
		{"default when nothing matches", "", "", "fr-FR", "zh-CN", i18n.ZH},
		{"english when default is unsupported", "", "", "", "de", i18n.EN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/", nil)
			if tt.cookie != "" {
				r.Header.Set("Cookie", i18n.CookieName+"="+tt.cookie)
			}
			if tt.acceptLanguage != "" {
				r.Header.Set("Accept-Language", tt.acceptLanguage)
			}
			if got := i18n.Negotiate(r, tt.tenant, tt.def); got != tt.want {
				t.Errorf("Negotiate() = %q, want %q", got, tt.want)
			}
		})
	}
}
