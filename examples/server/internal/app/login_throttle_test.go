package app_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/ballast-hr/ballast/examples/server/internal/api"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
)

func TestLogin_RepeatedFailuresAnswer429WithRetryAfter(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		wrong := `{"login":"acme.hr","password":"nope"}`
		for i := 1; i < auth.MaxFailures; i++ {
			resp := f.do(t, "POST", "/api/login", "", wrong)
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %s", i, resp.Status)
			}
		}
		for _, body := range []string{wrong, `{"login":"acme.hr","password":"` + testPassword + `"}`} {
			resp := f.do(t, "POST", "/api/login", "", body)
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("locked login: %s", resp.Status)
			}
			secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err != nil || secs < 1 || secs > int(auth.LockDuration.Seconds())+1 {
				t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
			}
			var p api.Problem
			if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if p.Type != api.TypeTooMany || p.Status != http.StatusTooManyRequests {
				t.Errorf("problem = %+v", p)
			}
		}
	})
}
