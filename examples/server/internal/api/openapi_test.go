package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/examples/server/internal/api"
	"github.com/ballast-hr/ballast/examples/server/internal/auth"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/offboarding"
)

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
}

func newTestHandler(t *testing.T) *api.Handler {
	t.Helper()
	h, err := api.New(api.Config{HR: &hr.Service{}, Access: &access.Enforcer{}, Audit: &audit.Log{}, Auth: &auth.Service{},
		Customers: &customers.Service{}, Assets: &assets.Service{}, Channel: &channel.Service{}, Insight: &insight.Service{},
		Offboarding: &offboarding.Service{}, Assessment: &assessment.Service{}, Multirater: &multirater.Service{}, Appeals: &appeal.Service{}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestOpenAPI_DocumentsExactlyTheRegisteredRoutes(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t)
	var doc openAPIDoc
	if err := json.Unmarshal(h.OpenAPI(), &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, p := range api.RoutePatterns() {
		registered[p] = true
		if !documented[p] {
			t.Errorf("route %s is registered but missing from /openapi.json", p)
		}
	}
	// Every documented operation must be served by exactly the pattern the
	// document names: ask the ServeMux, not the route table.
	params := regexp.MustCompile(`\{[^}]+\}`)
	for op := range documented {
		if !registered[op] {
			t.Errorf("/openapi.json names %s, which is not a registered route", op)
		}
		method, path, _ := strings.Cut(op, " ")
		req := httptest.NewRequest(method, params.ReplaceAllString(path, "x"), nil)
		if _, pattern := h.Mux().Handler(req); pattern != op {
			t.Errorf("%s is served by pattern %q", op, pattern)
		}
	}
	if len(documented) < 25 {
		t.Errorf("only %d operations documented", len(documented))
	}
}

func TestOpenAPI_RefsResolve(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t)
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(h.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`"\$ref":\s*"#/components/schemas/([^"]+)"`).FindAllStringSubmatch(string(h.OpenAPI()), -1)
	if len(refs) == 0 {
		t.Fatal("no $ref in the document")
	}
	for _, m := range refs {
		if _, ok := doc.Components.Schemas[m[1]]; !ok {
			t.Errorf("$ref to missing schema %q", m[1])
		}
	}
	for _, want := range []string{"hr.Employee", "hr.DepartmentNode", "Problem"} {
		if _, ok := doc.Components.Schemas[want]; !ok {
			t.Errorf("schema %q missing; have %v", want, slices.Sorted(mapsKeys(doc.Components.Schemas)))
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestOpenAPI_OperationsAreWellFormed(t *testing.T) {
	t.Parallel()
	h := newTestHandler(t)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                     `json:"operationId"`
			Summary     string                     `json:"summary"`
			Responses   map[string]json.RawMessage `json:"responses"`
			Parameters  []struct {
				Name string `json:"name"`
				In   string `json:"in"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(h.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	params := regexp.MustCompile(`\{([^}.]+)\}`)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			where := strings.ToUpper(method) + " " + path
			if prev, dup := ids[op.OperationID]; dup || op.OperationID == "" {
				t.Errorf("%s: operationId %q empty or also used by %s", where, op.OperationID, prev)
			}
			ids[op.OperationID] = where
			if op.Summary == "" || len(op.Responses) < 2 {
				t.Errorf("%s: no summary or too few responses", where)
			}
			for _, m := range params.FindAllStringSubmatch(path, -1) {
				if !slices.ContainsFunc(op.Parameters, func(p struct {
					Name string `json:"name"`
					In   string `json:"in"`
				}) bool {
					return p.Name == m[1] && p.In == "path"
				}) {
					t.Errorf("%s: path parameter %s not declared", where, m[1])
				}
			}
		}
	}
}
