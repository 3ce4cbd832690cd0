package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/access"
	"github.com/ballast-hr/ballast/audit"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/offboarding"
)

// leaving prepares the team for an offboarding: emp (the leaver) reports
// to the Sales head, owns the book's two customers plus one more, and
// holds a laptop; emp2 is the successor.
type leaving struct {
	*team
	customers []customers.Customer
	laptop    assets.Asset
	submitted hr.Date
	lastDay   hr.Date
}

func newLeaving(t *testing.T, f *fixture) *leaving {
	t.Helper()
	tm := newTeam(t, f)
	a := f.app
	sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: f.tenant, Subject: "test-setup", Kind: ballast.KindSystem})
	e, err := a.HR.Employee(sys, f.emp.ID)
	if err != nil {
		t.Fatal(err)
	}
	p := e.Params()
	p.ManagerID = tm.head.ID
	if _, err := a.HR.UpdateEmployee(sys, e.ID, p, e.Version); err != nil {
		t.Fatal(err)
	}
	b := newBook(t, tm)
	_, body := tm.expect(t, http.StatusCreated, "POST", "/api/customers", tm.tok["emp"], `{"name":"Ningbo Harbour Trading","industry":"商业零售","region":"华东","annual_value_cents":1200000}`)
	l := &leaving{team: tm, customers: []customers.Customer{b.emp1, b.emp2Key, into[customers.Customer](t, body)}}
	_, body = tm.expect(t, http.StatusCreated, "POST", "/api/assets", tm.tok["hr"], `{"kind":"laptop","name":"ThinkPad #9","tag":"AC-LT-009"}`)
	l.laptop = into[assets.Asset](t, body)
	tm.expect(t, http.StatusOK, "POST", "/api/assets/"+l.laptop.ID+"/issue", tm.tok["hr"], `{"holder":"`+f.emp.ID+`","on":"2025-01-06"}`)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	today := time.Now().In(loc)
	l.submitted, l.lastDay = hr.DateOf(today), hr.DateOf(today.AddDate(0, 0, 20))
	return l
}

// resign records the resignation of emp through the API as HR.
func (l *leaving) resign(t *testing.T, kind offboarding.ExitKind, successor string) offboarding.Case {
	t.Helper()
	body := fmt.Sprintf(`{"employee_id":%q,"kind":%q,"submitted_on":%q,"last_day":%q,"reason":"family moves to Chengdu","successors":[%q]}`,
		l.emp.ID, kind, l.submitted, l.lastDay, successor)
	_, b := l.expect(t, http.StatusCreated, "POST", "/api/offboarding/cases", l.tok["hr"], body)
	return into[offboarding.Case](t, b)
}

// caseWithSteps is the body of GET /api/offboarding/cases/{id}.
type caseWithSteps struct {
	offboarding.Case
	Steps []offboarding.Step `json:"steps"`
}

// detail reads a case with its steps as HR.
func (l *leaving) detail(t *testing.T, id string) (offboarding.Case, map[offboarding.StepKind]offboarding.Step) {
	t.Helper()
	resp, b := l.expect(t, http.StatusOK, "GET", "/api/offboarding/cases/"+id, l.tok["hr"], "")
	d := into[caseWithSteps](t, b)
	if got, want := resp.Header.Get("ETag"), fmt.Sprintf(`"%d"`, d.Version); got != want {
		t.Errorf("case ETag = %s, want %s", got, want)
	}
	steps := map[offboarding.StepKind]offboarding.Step{}
	for _, s := range d.Steps {
		steps[s.Kind] = s
	}
	return d.Case, steps
}

func TestOffboardingAPI_ResignToDepartureEndToEnd(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		l := newLeaving(t, f)
		hrTok, empTok, succTok, headTok := l.tok["hr"], l.tok["emp"], l.tok["emp2"], l.tok["head"]
		l.expect(t, http.StatusOK, "GET", "/api/employees", empTok, "") // the leaver may still read the directory

		// 1. HR records the resignation: the employee is resigning, the case
		// is open with the default template's steps and the first stage.
		c := l.resign(t, offboarding.ExitVoluntary, l.emp2.ID)
		base := "/api/offboarding/cases/" + c.ID
		_, b := l.expect(t, http.StatusOK, "GET", "/api/employees/"+l.emp.ID, hrTok, "")
		if e := into[hr.Employee](t, b); e.Status != hr.StatusResigning || e.LastWorkingDay != l.lastDay {
			t.Fatalf("leaver after resign = %s, last day %s", e.Status, e.LastWorkingDay)
		}
		c, steps := l.detail(t, c.ID)
		if len(steps) != 4 || c.Status != offboarding.CaseOpen || c.SnapshotID == "" || c.ManagerID != l.head.ID {
			t.Fatalf("case = %+v with %d steps", c, len(steps))
		}
		if want := l.lastDay.In(time.UTC).AddDate(0, 0, -3); steps[offboarding.KindCustomers].DueOn != hr.DateOf(want) {
			t.Errorf("customer step due %s, want %s", steps[offboarding.KindCustomers].DueOn, hr.DateOf(want))
		}
		_, b = l.expect(t, http.StatusOK, "GET", base+"/revocations", hrTok, "")
		if effs := into[[]access.StageEffect](t, b); len(effs) != 1 || effs[0].StageKey != "export" || effs[0].AppliedBy != l.hrPerson.ID {
			t.Errorf("stages applied at resignation = %+v", effs)
		}
		// The participants see the case; someone else does not.
		l.expect(t, http.StatusOK, "GET", base, empTok, "")
		l.expect(t, http.StatusOK, "GET", base, succTok, "")
		l.expect(t, http.StatusNotFound, "GET", base, l.tok["ops"], "")

		// 2. Customer handover: the list holds all three; the leaver assigns
		// and marks them handed over; the successor signs for the content.
		_, b = l.expect(t, http.StatusOK, "GET", base+"/customers", empTok, "")
		if items := into[[]offboarding.HandoverItem](t, b); len(items) != 3 {
			t.Fatalf("handover items = %+v", items)
		}
		assign := map[string]string{}
		var ids []string
		for _, cu := range l.customers {
			assign[cu.ID] = l.emp2.ID
			ids = append(ids, cu.ID)
		}
		l.expect(t, http.StatusNoContent, "POST", base+"/customers/assign", empTok, mustJSON(t, map[string]any{"assign": assign}))
		l.expect(t, http.StatusNoContent, "POST", base+"/customers/handed-over", empTok,
			mustJSON(t, map[string]any{"customer_ids": ids, "note": "introduced in person; contracts in the shared drive"}))
		_, b = l.expect(t, http.StatusOK, "GET", base+"/customers/content", succTok, "")
		content := into[offboarding.HandoverContent](t, b)
		if len(content.Customers) != 3 || len(content.Hash) != 64 {
			t.Fatalf("content = %+v", content)
		}
		sign := mustJSON(t, map[string]string{"hash": content.Hash})
		l.checkProblems(t, []problemCase{
			{name: "the leaver signs as the successor", method: "POST", path: base + "/customers/sign", token: empTok,
				body: mustJSON(t, map[string]string{"hash": content.Hash, "signer": l.emp2.ID}), want: 403},
			{name: "someone not a successor signs", method: "POST", path: base + "/customers/sign", token: headTok, body: sign, want: 403},
			{name: "a hash of other content", method: "POST", path: base + "/customers/sign", token: succTok,
				body: mustJSON(t, map[string]string{"hash": strings.Repeat("0", 64)}), want: 409},
			{name: "a hash that is no hash", method: "POST", path: base + "/customers/sign", token: succTok,
				body: `{"hash":"abc"}`, want: 400, fields: []string{"hash"}},
		})
		_, b = l.expect(t, http.StatusCreated, "POST", base+"/customers/sign", succTok, sign, "User-Agent", "handover-test/1.0")
		sig := into[offboarding.Signature](t, b)
		if sig.Signer != l.emp2.ID || sig.ContentHash != content.Hash || sig.ClientIP != "192.0.2.1" || sig.UserAgent != "handover-test/1.0" {
			t.Errorf("signature = %+v", sig)
		}
		for _, cu := range l.customers {
			_, b := l.expect(t, http.StatusOK, "GET", "/api/customers/"+cu.ID, hrTok, "")
			if got := into[customers.Customer](t, b).OwnerID; got != l.emp2.ID {
				t.Errorf("customer %s owned by %s after signing, want the successor", cu.Name, got)
			}
		}
		_, steps = l.detail(t, c.ID)
		if steps[offboarding.KindCustomers].Status != offboarding.StepDone {
			t.Errorf("customer step = %s after every customer was signed for", steps[offboarding.KindCustomers].Status)
		}

		// 3. Work handover: returned once with comments, then approved; two
		// reviewers racing: one wins, the other gets a conflict.
		work := func() int64 { _, st := l.detail(t, c.ID); return st[offboarding.KindWork].Version }
		report := `{"projects":[{"name":"Huachen framework renewal","status":"draft sent","next_step":"legal review","stakeholders":["Zhang Sanfeng"]}],
			"pending_tasks":["send the Q1 quote"],"documents_at":"shared drive /sales/emma","version":%d}`
		l.expect(t, http.StatusCreated, "POST", base+"/work", empTok, fmt.Sprintf(report, work()))
		v := work()
		l.checkProblems(t, []problemCase{
			{name: "the leaver approves her own report", method: "POST", path: base + "/work/approve", token: empTok, body: fmt.Sprintf(`{"version":%d}`, v), want: 403},
			{name: "a colleague approves", method: "POST", path: base + "/work/approve", token: succTok, body: fmt.Sprintf(`{"version":%d}`, v), want: 403},
			{name: "returned without comments", method: "POST", path: base + "/work/return", token: headTok, body: fmt.Sprintf(`{"version":%d}`, v), want: 400, fields: []string{"comments"}},
			{name: "a stale version", method: "POST", path: base + "/work/return", token: headTok, body: fmt.Sprintf(`{"comments":"x","version":%d}`, v-1), want: 409},
			{name: "a second round while one awaits review", method: "POST", path: base + "/work", token: empTok, body: fmt.Sprintf(report, v), want: 409},
		})
		l.expect(t, http.StatusOK, "POST", base+"/work/return", headTok, fmt.Sprintf(`{"comments":"list the open quotes too","version":%d}`, v))
		l.expect(t, http.StatusCreated, "POST", base+"/work", empTok, fmt.Sprintf(report, work()))
		v = work()
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i, tok := range []string{headTok, hrTok} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := f.do(t, "POST", base+"/work/approve", tok, fmt.Sprintf(`{"version":%d}`, v))
				resp.Body.Close()
				codes[i] = resp.StatusCode
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Errorf("two approvals racing answered %v, want one 200 and one 409", codes)
		}
		_, b = l.expect(t, http.StatusOK, "GET", base+"/work", empTok, "")
		rounds := into[[]offboarding.WorkRound](t, b)
		if len(rounds) != 2 || rounds[0].Decision != offboarding.DecisionReturned || rounds[0].Comments == "" || rounds[1].Decision != offboarding.DecisionApproved {
			t.Errorf("rounds = %+v", rounds)
		}

		// Completing with the items still out is refused.
		c, _ = l.detail(t, c.ID)
		l.checkProblems(t, []problemCase{
			{name: "complete with open steps", method: "POST", path: base + "/complete", token: hrTok, body: fmt.Sprintf(`{"version":%d}`, c.Version), want: 409},
		})

		// 4. Item return: the administration confirms the laptop back.
		_, b = l.expect(t, http.StatusOK, "GET", base+"/items", empTok, "")
		if items := into[[]offboarding.ItemReturn](t, b); len(items) != 1 || items[0].AssetID != l.laptop.ID {
			t.Fatalf("items = %+v", items)
		}
		item := base + "/items/" + l.laptop.ID
		l.checkProblems(t, []problemCase{
			{name: "the leaver confirms her own return", method: "POST", path: item + "/returned", token: empTok, body: `{"on":"2026-01-01","condition":"good"}`, want: 403},
		})
		_, b = l.expect(t, http.StatusOK, "POST", item+"/returned", hrTok, fmt.Sprintf(`{"on":%q,"condition":"worn","note":"scratched lid"}`, l.submitted))
		if it := into[offboarding.ItemReturn](t, b); it.Outcome != offboarding.ItemReturned || it.Condition != "worn" {
			t.Errorf("item = %+v", it)
		}
		l.checkProblems(t, []problemCase{
			{name: "an item settled twice", method: "POST", path: item + "/missing", token: hrTok, body: `{"cost_note":"x"}`, want: 409},
		})

		// 5. Complete: the access step closes, the account is disabled and
		// the employee departed; a second completion is a conflict.
		c, _ = l.detail(t, c.ID)
		l.checkProblems(t, []problemCase{
			{name: "the leaver completes", method: "POST", path: base + "/complete", token: empTok, body: fmt.Sprintf(`{"version":%d}`, c.Version), want: 403},
			{name: "complete with a stale version", method: "POST", path: base + "/complete", token: hrTok, body: fmt.Sprintf(`{"version":%d}`, c.Version+1), want: 409},
			{name: "complete with version 0", method: "POST", path: base + "/complete", token: hrTok, headers: []string{"If-Match", `"0"`}, body: `{}`, want: 400, fields: []string{"version"}},
		})
		_, b = l.expect(t, http.StatusOK, "POST", base+"/complete", hrTok, "{}", "If-Match", fmt.Sprintf(`"%d"`, c.Version))
		done := into[offboarding.Case](t, b)
		if done.Status != offboarding.CaseCompleted || done.ClosedBy != l.hrPerson.ID {
			t.Errorf("completed case = %+v", done)
		}
		l.checkProblems(t, []problemCase{
			{name: "complete twice", method: "POST", path: base + "/complete", token: hrTok, body: fmt.Sprintf(`{"version":%d}`, done.Version), want: 409},
			{name: "withdraw a completed case", method: "POST", path: base + "/withdraw", token: hrTok, body: fmt.Sprintf(`{"reason":"x","version":%d}`, done.Version), want: 409},
		})
		_, b = l.expect(t, http.StatusOK, "GET", "/api/employees/"+l.emp.ID, hrTok, "")
		if e := into[hr.Employee](t, b); e.Status != hr.StatusDeparted {
			t.Errorf("leaver after completion = %s, want departed", e.Status)
		}
		l.expect(t, http.StatusForbidden, "GET", "/api/employees", empTok, "")
		_, b = l.expect(t, http.StatusOK, "GET", "/api/access/subjects/"+l.emp.ID+"/rules", l.tok["admin"], "")
		for _, r := range into[[]access.Rule](t, b) {
			if r.Effect == access.Allow {
				t.Errorf("the departed employee still holds %+v", r)
			}
		}

		// 6. The report, its CSV, the stages and the evidence bundle.
		_, b = l.expect(t, http.StatusOK, "GET", base+"/report", hrTok, "")
		rep := into[offboarding.Report](t, b)
		if len(rep.Customers) != 3 || len(rep.Signatures) != 1 || len(rep.WorkRounds) != 2 || len(rep.Items) != 1 || len(rep.Revocations) != 3 || len(rep.Steps) != 4 {
			t.Errorf("report: %d customers, %d signatures, %d rounds, %d items, %d revocations, %d steps",
				len(rep.Customers), len(rep.Signatures), len(rep.WorkRounds), len(rep.Items), len(rep.Revocations), len(rep.Steps))
		}
		resp, b := l.expect(t, http.StatusOK, "GET", base+"/report/customers.csv", hrTok, "")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV content type %q", ct)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(rows) != 4 {
			t.Fatalf("CSV = %q (%v), want a header and 3 rows", b, err)
		}
		for _, row := range rows[1:] {
			if row[2] != l.emp2.ID || row[3] != "Eva Two" || row[4] != "true" || row[8] != sig.ID || row[11] != content.Hash {
				t.Errorf("CSV row %q", row)
			}
		}
		resp, b = l.expect(t, http.StatusOK, "GET", "/api/access/subjects/"+l.emp.ID+"/evidence", hrTok, "")
		if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
			t.Errorf("evidence content type %q", ct)
		}
		head, err := audit.VerifyBundle(bytes.NewReader(b))
		if err != nil || head.Entries < 4 {
			t.Errorf("evidence bundle: %+v, %v", head, err)
		}
		for _, want := range []string{"access.stage.apply", c.ID} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("evidence bundle lacks %q", want)
			}
		}
		l.expect(t, http.StatusForbidden, "GET", "/api/access/subjects/"+l.emp.ID+"/evidence", succTok, "")
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	s, err := jsonString(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOffboardingAPI_RefusesBadInputAndHRActionsOfEmployees(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		l := newLeaving(t, f)
		hrTok, empTok := l.tok["hr"], l.tok["emp"]
		c := l.resign(t, offboarding.ExitVoluntary, l.emp2.ID)
		base := "/api/offboarding/cases/" + c.ID
		_, steps := l.detail(t, c.ID)
		resign := func(emp, kind, submitted, last string, successors ...string) string {
			return mustJSON(t, map[string]any{"employee_id": emp, "kind": kind, "submitted_on": submitted, "last_day": last, "successors": successors})
		}
		l.checkProblems(t, []problemCase{
			{name: "every field wrong", method: "POST", path: "/api/offboarding/cases", token: hrTok,
				body: resign("nope", "quit", "2026-12-01", "2026-11-01"), want: 400,
				fields: []string{"employee_id", "kind", "last_day", "successors"}},
			{name: "the leaver as her own successor", method: "POST", path: "/api/offboarding/cases", token: hrTok,
				body: resign(l.emp2.ID, "voluntary", "2026-12-01", "2026-12-31", l.emp2.ID), want: 400, fields: []string{"successors[0]"}},
			{name: "a successor who is resigning", method: "POST", path: "/api/offboarding/cases", token: hrTok,
				body: resign(l.ops.ID, "voluntary", "2026-12-01", "2026-12-31", l.emp.ID), want: 400, fields: []string{"successors[0]"}},
			{name: "a successor of another tenant", method: "POST", path: "/api/offboarding/cases", token: hrTok,
				body: resign(l.ops.ID, "voluntary", "2026-12-01", "2026-12-31", ballast.NewID()), want: 400, fields: []string{"successors[0]"}},
			{name: "a second open case", method: "POST", path: "/api/offboarding/cases", token: hrTok,
				body: resign(l.emp.ID, "voluntary", "2026-12-01", "2026-12-31", l.emp2.ID), want: 409},
			{name: "an employee records a colleague's resignation", method: "POST", path: "/api/offboarding/cases", token: empTok,
				body: resign(l.emp2.ID, "voluntary", "2026-12-01", "2026-12-31", l.ops.ID), want: 403},
			{name: "an employee lists cases", method: "GET", path: "/api/offboarding/cases", token: empTok, want: 403},
			{name: "an employee reads the template", method: "GET", path: "/api/offboarding/template", token: empTok, want: 403},
			{name: "an employee force-closes", method: "POST", path: base + "/steps/items/force-close", token: empTok,
				body: fmt.Sprintf(`{"reason":"I returned everything","version":%d}`, steps[offboarding.KindItems].Version), want: 403},
			{name: "an employee withdraws", method: "POST", path: base + "/withdraw", token: empTok, body: fmt.Sprintf(`{"reason":"changed my mind","version":%d}`, c.Version), want: 403},
			{name: "an employee changes the plan", method: "PUT", path: "/api/access/revocation-plan", token: empTok,
				body: `{"stages":[{"key":"x","trigger":{"kind":"on_resignation"},"disable":true}]}`, want: 403},
			{name: "an employee previews a revocation", method: "GET", path: "/api/access/subjects/" + l.emp2.ID + "/revocation-preview", token: empTok, want: 403},
			{name: "force-close without a reason", method: "POST", path: base + "/steps/items/force-close", token: hrTok,
				body: fmt.Sprintf(`{"reason":"","version":%d}`, steps[offboarding.KindItems].Version), want: 400, fields: []string{"reason"}},
			{name: "force-close a stale step", method: "POST", path: base + "/steps/items/force-close", token: hrTok,
				body: fmt.Sprintf(`{"reason":"returned by post","version":%d}`, steps[offboarding.KindItems].Version+5), want: 409},
			{name: "force-close without a version", method: "POST", path: base + "/steps/items/force-close", token: hrTok,
				body: `{"reason":"returned by post"}`, want: 400, fields: []string{"version"}},
			{name: "assign to someone not a successor", method: "POST", path: base + "/customers/assign", token: hrTok,
				body: mustJSON(t, map[string]any{"assign": map[string]string{l.customers[0].ID: l.ops.ID, "not-a-customer": l.emp2.ID}}), want: 400,
				fields: []string{"assign[" + l.customers[0].ID + "]", "assign[not-a-customer]"}},
			{name: "mark unassigned customers handed over", method: "POST", path: base + "/customers/handed-over", token: hrTok,
				body: mustJSON(t, map[string]any{"customer_ids": []string{l.customers[0].ID}}), want: 400, fields: []string{"customer_ids[0]"}},
			{name: "a template with every problem", method: "POST", path: "/api/offboarding/template/validate", token: hrTok,
				body: `{"steps":[{"key":"Bad Key","kind":"custom","title":"","responsible":[],"due_offset_days":5},{"key":"x","kind":"teleport","title":"x","responsible":["boss"]}],"reminder_offsets":[0]}`,
				want: 400, fields: []string{"steps[0].key", "steps[0].title", "steps[0].responsible", "steps[0].due_offset_days", "steps[0].closing_rule", "steps[1].kind", "steps[1].responsible[0]", "reminder_offsets[0]"}},
			{name: "a plan with a stage removing nothing", method: "PUT", path: "/api/access/revocation-plan", token: l.tok["admin"],
				body: `{"stages":[{"key":"x","trigger":{"kind":"someday"}}]}`, want: 400, fields: []string{"stages[0].trigger.kind", "stages[0]"}},
			{name: "an unknown stage previewed", method: "GET", path: "/api/access/subjects/" + l.emp2.ID + "/revocation-preview?stage=nope", token: hrTok, want: 400, fields: []string{"stage"}},
			{name: "an unknown case", method: "GET", path: "/api/offboarding/cases/" + ballast.NewID(), token: hrTok, want: 404},
		})

		// The template round trip: default (version 0) → stored (1) → stale.
		resp, b := l.expect(t, http.StatusOK, "GET", "/api/offboarding/template", hrTok, "")
		tmpl := into[offboarding.Template](t, b)
		if resp.Header.Get("ETag") != `"0"` || len(tmpl.Steps) != 4 {
			t.Fatalf("default template %s: %+v", resp.Header.Get("ETag"), tmpl)
		}
		tmpl.Steps = append(tmpl.Steps, offboarding.StepTemplate{Key: "exit-interview", Kind: offboarding.KindCustom, Title: "Exit interview",
			Responsible: []offboarding.Role{offboarding.RoleHR}, DueOffsetDays: -1, ClosingRule: offboarding.CloseBySignature})
		l.expect(t, http.StatusOK, "POST", "/api/offboarding/template/validate", hrTok, mustJSON(t, tmpl))
		_, b = l.expect(t, http.StatusOK, "PUT", "/api/offboarding/template", hrTok, mustJSON(t, tmpl), "If-Match", `"0"`)
		if got := into[offboarding.Template](t, b); got.Version != 1 || len(got.Steps) != 5 {
			t.Errorf("stored template = %+v", got)
		}
		l.checkProblems(t, []problemCase{{name: "a stale template", method: "PUT", path: "/api/offboarding/template", token: hrTok,
			body: mustJSON(t, tmpl), headers: []string{"If-Match", `"0"`}, want: 409}})

		// A revocation plan preview names what each stage would remove.
		_, b = l.expect(t, http.StatusOK, "GET", "/api/access/subjects/"+l.head.ID+"/revocation-preview", hrTok, "")
		prev := into[[]access.StageEffect](t, b)
		if len(prev) != 3 || len(prev[2].Removed) == 0 || !prev[2].Disabled {
			t.Errorf("preview for the head = %+v", prev)
		}
	})
}

func TestOffboardingAPI_SelfServiceAndCustomSteps(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		l := newLeaving(t, f)
		tmpl := offboarding.DefaultTemplate()
		tmpl.Steps = append(tmpl.Steps,
			offboarding.StepTemplate{Key: "exit-interview", Kind: offboarding.KindCustom, Title: "Exit interview",
				Responsible: []offboarding.Role{offboarding.RoleEmployee}, DueOffsetDays: -1, ClosingRule: offboarding.CloseBySignature},
			offboarding.StepTemplate{Key: "kb-article", Kind: offboarding.KindCustom, Title: "Knowledge-base article",
				Responsible: []offboarding.Role{offboarding.RoleEmployee}, DueOffsetDays: -2, ClosingRule: offboarding.CloseByApproval})
		l.expect(t, http.StatusOK, "PUT", "/api/offboarding/template?version=0", l.tok["hr"], mustJSON(t, tmpl))

		// The employee records her own voluntary resignation.
		body := fmt.Sprintf(`{"employee_id":%q,"kind":"voluntary","submitted_on":%q,"last_day":%q,"successors":[%q]}`, l.emp.ID, l.submitted, l.lastDay, l.emp2.ID)
		l.checkProblems(t, []problemCase{{name: "an involuntary exit by oneself", method: "POST", path: "/api/offboarding/cases", token: l.tok["emp"],
			body: strings.Replace(body, "voluntary", "involuntary", 1), want: 403}})
		_, b := l.expect(t, http.StatusCreated, "POST", "/api/offboarding/cases", l.tok["emp"], body)
		c := into[offboarding.Case](t, b)
		// The successor finds the case among their own; HR's list stays HR's.
		_, b = l.expect(t, http.StatusOK, "GET", "/api/me/offboarding-cases", l.tok["emp2"], "")
		if mine := into[[]offboarding.Case](t, b); len(mine) != 1 || mine[0].ID != c.ID {
			t.Errorf("successor's cases = %+v, want %s", mine, c.ID)
		}
		l.checkProblems(t, []problemCase{{name: "the successor lists every case", method: "GET", path: "/api/offboarding/cases", token: l.tok["emp2"], want: 403}})
		c, steps := l.detail(t, c.ID)
		if len(steps) != 5 { // the two custom steps share a kind
			t.Errorf("steps = %d kinds", len(steps))
		}
		base := "/api/offboarding/cases/" + c.ID
		_, all := l.expect(t, http.StatusOK, "GET", base, l.tok["emp"], "")
		var ver = map[string]int64{}
		for _, s := range into[caseWithSteps](t, all).Steps {
			ver[s.Key] = s.Version
		}
		l.checkProblems(t, []problemCase{
			{name: "the leaver approves her own article", method: "POST", path: base + "/steps/kb-article/close", token: l.tok["emp"],
				body: fmt.Sprintf(`{"note":"done","version":%d}`, ver["kb-article"]), want: 403},
			{name: "a colleague signs the exit interview", method: "POST", path: base + "/steps/exit-interview/close", token: l.tok["emp2"],
				body: fmt.Sprintf(`{"note":"done","version":%d}`, ver["exit-interview"]), want: 403},
			{name: "a built-in step closed like a custom one", method: "POST", path: base + "/steps/items/close", token: l.tok["hr"],
				body: fmt.Sprintf(`{"version":%d}`, ver["items"]), want: 400},
		})
		_, b = l.expect(t, http.StatusOK, "POST", base+"/steps/exit-interview/close", l.tok["emp"], fmt.Sprintf(`{"note":"interview held with HR","version":%d}`, ver["exit-interview"]))
		if st := into[offboarding.Step](t, b); st.Status != offboarding.StepDone {
			t.Errorf("exit interview = %+v", st)
		}
		l.expect(t, http.StatusOK, "POST", base+"/steps/kb-article/close", l.tok["head"], fmt.Sprintf(`{"note":"article approved","version":%d}`, ver["kb-article"]))
		_, b = l.expect(t, http.StatusOK, "GET", base+"/signatures", l.tok["hr"], "")
		if sigs := into[[]offboarding.Signature](t, b); len(sigs) != 1 || sigs[0].Signer != l.emp.ID || sigs[0].ClientIP != "192.0.2.1" {
			t.Errorf("signatures = %+v", sigs)
		}
		// HR moves the last day a week later: the open deadlines follow.
		later := hr.DateOf(l.lastDay.In(time.UTC).AddDate(0, 0, 7))
		l.checkProblems(t, []problemCase{{name: "a last day before the submission", method: "PUT", path: base + "/last-day", token: l.tok["hr"],
			body: fmt.Sprintf(`{"last_day":"2020-01-01","version":%d}`, c.Version), want: 400, fields: []string{"last_day"}}})
		_, b = l.expect(t, http.StatusOK, "PUT", base+"/last-day", l.tok["hr"], fmt.Sprintf(`{"last_day":%q,"reason":"handover needs another week"}`, later),
			"If-Match", fmt.Sprintf(`"%d"`, c.Version))
		if moved := into[offboarding.Case](t, b); moved.LastDay != later {
			t.Errorf("case last day = %s, want %s", moved.LastDay, later)
		}
		_, steps = l.detail(t, c.ID)
		if want := hr.DateOf(later.In(time.UTC).AddDate(0, 0, -3)); steps[offboarding.KindCustomers].DueOn != want {
			t.Errorf("customer step due %s after the move, want %s", steps[offboarding.KindCustomers].DueOn, want)
		}
		ver["items"] = steps[offboarding.KindItems].Version
		_, b = l.expect(t, http.StatusOK, "POST", base+"/steps/items/force-close", l.tok["hr"], fmt.Sprintf(`{"reason":"laptop returned by courier, receipt on file","version":%d}`, ver["items"]))
		if st := into[offboarding.Step](t, b); st.Status != offboarding.StepForced || st.Note == "" {
			t.Errorf("forced step = %+v", st)
		}
	})
}

func TestOffboardingAPI_WithdrawRestoresThePermissionsExactly(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		l := newLeaving(t, f)
		perms := func() []string {
			_, b := l.expect(t, http.StatusOK, "GET", "/api/access/subjects/"+l.emp.ID+"/permissions", l.tok["admin"], "")
			return into[[]string](t, b)
		}
		mine := func() []string {
			_, b := l.expect(t, http.StatusOK, "GET", "/api/me/permissions", l.tok["emp"], "")
			return into[[]string](t, b)
		}
		before, beforeMine := perms(), mine()
		if len(beforeMine) == 0 {
			t.Fatal("the leaver holds no permission before")
		}
		c := l.resign(t, offboarding.ExitInvoluntary, l.emp2.ID) // every stage at once
		if during := perms(); len(during) != 0 {
			t.Errorf("permissions during an involuntary exit = %v, want none", during)
		}
		l.expect(t, http.StatusForbidden, "GET", "/api/employees", l.tok["emp"], "")
		l.checkProblems(t, []problemCase{{name: "withdraw without a reason", method: "POST", path: "/api/offboarding/cases/" + c.ID + "/withdraw",
			token: l.tok["hr"], body: fmt.Sprintf(`{"version":%d}`, c.Version), want: 400, fields: []string{"reason"}}})
		_, b := l.expect(t, http.StatusOK, "POST", "/api/offboarding/cases/"+c.ID+"/withdraw", l.tok["hr"],
			fmt.Sprintf(`{"reason":"the employee stays after a counter-offer","version":%d}`, c.Version))
		if w := into[offboarding.Case](t, b); w.Status != offboarding.CaseWithdrawn || w.CloseReason == "" {
			t.Errorf("withdrawn case = %+v", w)
		}
		if diff := cmp.Diff(before, perms()); diff != "" {
			t.Errorf("permissions after withdrawal (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff(beforeMine, mine()); diff != "" {
			t.Errorf("/api/me/permissions after withdrawal (-before +after):\n%s", diff)
		}
		_, b = l.expect(t, http.StatusOK, "GET", "/api/employees/"+l.emp.ID, l.tok["hr"], "")
		if e := into[hr.Employee](t, b); e.Status != hr.StatusActive || !e.LastWorkingDay.IsZero() {
			t.Errorf("employee after withdrawal = %s, last day %s", e.Status, e.LastWorkingDay)
		}
		_, b = l.expect(t, http.StatusOK, "GET", "/api/offboarding/cases/"+c.ID+"/revocations", l.tok["hr"], "")
		for _, eff := range into[[]access.StageEffect](t, b) {
			if eff.RestoredAt.IsZero() {
				t.Errorf("stage %s not marked restored", eff.StageKey)
			}
		}
	})
}
