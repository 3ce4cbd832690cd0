package api

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/offboarding"
)

// openAPIDocument builds the OpenAPI 3.1 document of rts: one operation per
// route, with its parameters, bodies and problem responses, and the JSON
// schemas of the Go types it exchanges (derived from their json tags).
func openAPIDocument(rts []route) ([]byte, error) {
	g := &schemaGen{components: map[string]any{}}
	g.components["Problem"] = g.schemaOf(reflect.TypeFor[Problem]())
	paths := map[string]map[string]any{}
	for _, rt := range rts {
		ops := paths[rt.path]
		if ops == nil {
			ops = map[string]any{}
			paths[rt.path] = ops
		}
		method := strings.ToLower(rt.method)
		if _, dup := ops[method]; dup {
			return nil, fmt.Errorf("api: openapi: %s registered twice", rt.pattern())
		}
		ops[method] = g.operation(rt)
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "ballast reference server API",
			"version":     "0.1.0",
			"description": "JSON API over the ballast HR library. Sign in with POST /api/login (session cookie) or send \"Authorization: Bearer <token>\". Errors are RFC 9457 problem details.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "ballast_session"},
			},
		},
		"security": []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("api: openapi: %w", err)
	}
	return b, nil
}

var pathParam = regexp.MustCompile(`\{([a-zA-Z_][a-zA-Z0-9_]*)\.*\}`)

func (g *schemaGen) operation(rt route) map[string]any {
	op := map[string]any{
		"summary":     rt.summary,
		"tags":        []string{rt.tag},
		"operationId": operationID(rt),
	}
	if rt.public {
		op["security"] = []any{}
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	for _, q := range rt.query {
		params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.desc, "schema": map[string]any{"type": q.typ}})
	}
	if rt.ifMatch {
		params = append(params, map[string]any{"name": "If-Match", "in": "header", "description": `the version read (the ETag), such as "3"`, "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	switch {
	case rt.in != nil:
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": g.schemaOf(reflect.TypeOf(rt.in))},
		}}
	case rt.inCSV:
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"text/csv": map[string]any{"schema": map[string]any{"type": "string"}},
			"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object",
				"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "text/csv"}}}},
		}}
	}
	ok := map[string]any{"description": http.StatusText(rt.successStatus())}
	switch {
	case rt.out != nil:
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schemaOf(reflect.TypeOf(rt.out))}}
	case rt.outMedia != "":
		ok["content"] = map[string]any{rt.outMedia: map[string]any{"schema": map[string]any{"type": "string"}}}
	}
	responses := map[string]any{strconv.Itoa(rt.successStatus()): ok}
	problem := map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}
	statuses := append([]int{http.StatusInternalServerError}, rt.errors...)
	if !rt.public {
		statuses = append(statuses, http.StatusUnauthorized)
	}
	for _, st := range statuses {
		responses[strconv.Itoa(st)] = map[string]any{"description": http.StatusText(st), "content": problem}
	}
	op["responses"] = responses
	return op
}

// operationID is the method and path as camel case: "getApiEmployeesId".
func operationID(rt route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.method))
	for _, word := range strings.FieldsFunc(rt.path, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') }) {
		b.WriteString(strings.ToUpper(word[:1]) + word[1:])
	}
	return b.String()
}

// schemaGen derives JSON schemas from Go types, putting named struct types
// into components (so recursive types such as a department tree work).
type schemaGen struct {
	components map[string]any
}

// enums lists the values of the string types that have a fixed set.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[hr.HireChannel]():   enumOf(hr.HireChannels),
	reflect.TypeFor[hr.Status]():        enumOf(hr.Statuses),
	reflect.TypeFor[hr.EmployeeOrder](): {string(hr.OrderByName), string(hr.OrderByNumber)},
	reflect.TypeFor[access.Effect]():    {string(access.Allow), string(access.Deny)},
	reflect.TypeFor[audit.Problem]():    {string(audit.ProblemAltered), string(audit.ProblemMissing), string(audit.ProblemReordered)},

	reflect.TypeFor[customers.Tier]():           enumOf(customers.Tiers),
	reflect.TypeFor[customers.Status]():         {string(customers.StatusActive), string(customers.StatusArchived)},
	reflect.TypeFor[assets.Kind]():              enumOf(assets.Kinds),
	reflect.TypeFor[assets.Condition]():         enumOf(assets.Conditions),
	reflect.TypeFor[assets.Status]():            enumOf(assets.Statuses),
	reflect.TypeFor[channel.AudienceKind]():     {string(channel.AudienceAll), string(channel.AudienceDepartments), string(channel.AudienceEmployees)},
	reflect.TypeFor[channel.Status]():           {string(channel.StatusDraft), string(channel.StatusPublished), string(channel.StatusWithdrawn)},
	reflect.TypeFor[channel.FeedbackCategory](): enumOf(channel.FeedbackCategories),
	reflect.TypeFor[channel.FeedbackStatus]():   {string(channel.FeedbackOpen), string(channel.FeedbackResolved)},
	reflect.TypeFor[access.TriggerKind]():       {string(access.TriggerOnResignation), string(access.TriggerBeforeLastDay), string(access.TriggerOnCompletion)},
	reflect.TypeFor[offboarding.ExitKind]():     enumOf(offboarding.ExitKinds),
	reflect.TypeFor[offboarding.StepKind]():     enumOf(offboarding.StepKinds),
	reflect.TypeFor[offboarding.Role]():         enumOf(offboarding.Roles),
	reflect.TypeFor[offboarding.ClosingRule]():  enumOf(offboarding.ClosingRules),
	reflect.TypeFor[offboarding.CaseStatus]():   {string(offboarding.CaseOpen), string(offboarding.CaseCompleted), string(offboarding.CaseWithdrawn)},
	reflect.TypeFor[offboarding.StepStatus]():   {string(offboarding.StepOpen), string(offboarding.StepDone), string(offboarding.StepForced)},
	reflect.TypeFor[offboarding.Decision]():     {string(offboarding.DecisionPending), string(offboarding.DecisionApproved), string(offboarding.DecisionReturned)},
	reflect.TypeFor[offboarding.ItemOutcome]():  {string(offboarding.ItemPending), string(offboarding.ItemReturned), string(offboarding.ItemMissing)},
	reflect.TypeFor[insight.ReasonKind](): {string(insight.ReasonReferredMembers), string(insight.ReasonKeyAccountValue),
		string(insight.ReasonKeyAccounts), string(insight.ReasonAnnualValue), string(insight.ReasonCustomers)},

	reflect.TypeFor[assessment.IndicatorKind]():  {string(assessment.Quantitative), string(assessment.Qualitative)},
	reflect.TypeFor[assessment.Direction]():      {string(assessment.HigherIsBetter), string(assessment.LowerIsBetter)},
	reflect.TypeFor[assessment.MappingKind]():    {string(assessment.MappingRatio), string(assessment.MappingBands)},
	reflect.TypeFor[assessment.TemplateStatus](): {string(assessment.TemplateDraft), string(assessment.TemplatePublished)},
	reflect.TypeFor[assessment.CycleKind]():      {string(assessment.MidYear), string(assessment.YearEnd), string(assessment.Quarterly), string(assessment.Custom)},
	reflect.TypeFor[assessment.CycleState](): {string(assessment.CycleDraft), string(assessment.CycleOpen), string(assessment.CycleManagerReview),
		string(assessment.CycleCalibration), string(assessment.CycleFinalised), string(assessment.CycleClosed)},
	reflect.TypeFor[assessment.ParticipantStatus](): {string(assessment.StatusSelfPending), string(assessment.StatusSelfSubmitted),
		string(assessment.StatusManagerSubmitted), string(assessment.StatusFinalised)},
	reflect.TypeFor[assessment.Side]():         {string(assessment.SideSelf), string(assessment.SideManager)},
	reflect.TypeFor[assessment.EvidenceKind](): {string(assessment.EvidenceLink), string(assessment.EvidenceFile)},
	reflect.TypeFor[multirater.Group]():        enumOf(multirater.Groups),
	reflect.TypeFor[multirater.State]():        {string(multirater.StateNominating), string(multirater.StateCollecting), string(multirater.StateClosed)},
	reflect.TypeFor[multirater.Status]():       enumOf(multirater.Statuses),
	reflect.TypeFor[multirater.NominationState](): {string(multirater.NominationPending), string(multirater.NominationApproved),
		string(multirater.NominationRejected)},
	reflect.TypeFor[appeal.Status](): {string(appeal.StatusOpen), string(appeal.StatusUnderReview), string(appeal.StatusDecided), string(appeal.StatusWithdrawn)},
	reflect.TypeFor[appeal.Result](): {string(appeal.ResultUpheld), string(appeal.ResultAdjusted)},
	reflect.TypeFor[appeal.Role]():   {string(appeal.RoleEmployee), string(appeal.RoleManager), string(appeal.RoleHR)},
}

func enumOf[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

func (g *schemaGen) schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType):
		if t.Name() == "Date" {
			return map[string]any{"type": "string", "format": "date", "description": "2006-01-02, or empty when unset"}
		}
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		if values, ok := enums[t]; ok {
			return map[string]any{"type": "string", "enum": values}
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schemaOf(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		name := componentName(t)
		if _, ok := g.components[name]; !ok {
			g.components[name] = map[string]any{} // placeholder: breaks recursion
			g.components[name] = g.structSchema(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	default:
		return map[string]any{}
	}
}

// componentName names a struct type for components: "hr.Employee"; the
// API's own types take their name capitalised.
func componentName(t reflect.Type) string {
	pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
	if pkg == "api" {
		return strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
	}
	return pkg + "." + t.Name()
}

func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	g.addFields(t, props)
	return map[string]any{"type": "object", "properties": props}
}

// addFields adds t's JSON fields to props, flattening embedded structs as
// encoding/json does.
func (g *schemaGen) addFields(t reflect.Type, props map[string]any) {
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.addFields(ft, props)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schemaOf(f.Type)
	}
}
