package app_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr/channel"
)

func TestChannelAPI_AnnouncementReceiptsAndQuestions(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		_, body := tm.expect(t, http.StatusCreated, "POST", "/api/announcements", tm.tok["hr"],
			`{"title":"年终评审安排","body":"# 通知\n\n请于 12 月 20 日前完成自评。","audience":{"kind":"all"}}`)
		ann := into[channel.Announcement](t, body)
		ap := "/api/announcements/" + ann.ID

		f.checkProblems(t, []problemCase{
			{name: "no session has no inbox", method: "GET", path: "/api/me/announcements", want: 401},
			{name: "an employee may not write announcements", method: "POST", path: "/api/announcements", token: tm.tok["emp"],
				body: `{"title":"x","body":"y","audience":{"kind":"all"}}`, want: 403},
			{name: "a draft does not exist for recipients", method: "GET", path: ap, token: tm.tok["emp"], want: 404},
			{name: "an employee may not list every announcement", method: "GET", path: "/api/announcements", token: tm.tok["emp"], want: 403},
			{name: "every bad field at once", method: "POST", path: "/api/announcements", token: tm.tok["hr"],
				body: `{"title":"","body":"","audience":{"kind":"some"}}`, want: 400, fields: []string{"title", "body", "audience.kind"}},
			{name: "an unknown department", method: "POST", path: "/api/announcements", token: tm.tok["hr"],
				body: `{"title":"t","body":"b","audience":{"kind":"departments","department_ids":["` + ballast.NewID() + `"]}}`,
				want: 400, fields: []string{"audience.department_ids[0]"}},
			{name: "publish without a version", method: "POST", path: ap + "/publish", token: tm.tok["hr"], want: 400, fields: []string{"version"}},
			{name: "publish a stale version", method: "POST", path: ap + "/publish", token: tm.tok["hr"], headers: []string{"If-Match", `"7"`}, want: 409},
		})
		_, body = tm.expect(t, http.StatusOK, "POST", ap+"/publish", tm.tok["hr"], "", "If-Match", `"1"`)
		if a := into[channel.Announcement](t, body); a.Status != channel.StatusPublished || a.Recipients != 6 {
			t.Fatalf("published = %+v, want 6 recipients", a)
		}
		f.checkProblems(t, []problemCase{{name: "publish twice", method: "POST", path: ap + "/publish", token: tm.tok["hr"], body: `{"version":2}`, want: 409}})

		// emp reads it; the receipt report shows one of six.
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/me/announcements?unread_only=true", tm.tok["emp"], "")
		if page := into[channel.InboxPage](t, body); len(page.Items) != 1 {
			t.Fatalf("emp's unread = %+v", page)
		}
		tm.expect(t, http.StatusOK, "POST", ap+"/read", tm.tok["emp"], "")
		tm.expect(t, http.StatusOK, "POST", ap+"/read", tm.tok["emp"], "") // idempotent
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/me/announcements?unread_only=true", tm.tok["emp"], "")
		if page := into[channel.InboxPage](t, body); len(page.Items) != 0 {
			t.Errorf("emp's unread after reading = %+v", page)
		}
		_, body = tm.expect(t, http.StatusOK, "GET", ap+"/receipts", tm.tok["hr"], "")
		if rep := into[channel.ReceiptReport](t, body); rep.Total != 6 || rep.Read != 1 || rep.Unread != 5 {
			t.Errorf("receipts = %d/%d read", rep.Read, rep.Total)
		}

		// Questions: emp asks, HR answers and makes it public.
		_, body = tm.expect(t, http.StatusCreated, "POST", ap+"/questions", tm.tok["emp"], `{"body":"独立成单按金额还是按单数算？"}`)
		q := into[channel.Question](t, body)
		qp := "/api/questions/" + q.ID
		f.checkProblems(t, []problemCase{
			{name: "receipts are for HR", method: "GET", path: ap + "/receipts", token: tm.tok["emp"], want: 403},
			{name: "an empty question", method: "POST", path: ap + "/questions", token: tm.tok["emp2"], body: `{"body":"  "}`, want: 400, fields: []string{"body"}},
			{name: "a private thread does not exist for others", method: "GET", path: qp, token: tm.tok["emp2"], want: 404},
			{name: "others may not write in it", method: "POST", path: qp + "/messages", token: tm.tok["emp2"], body: `{"body":"me too"}`, want: 403},
			{name: "unanswered is for HR", method: "GET", path: "/api/questions/unanswered", token: tm.tok["emp"], want: 403},
			{name: "a malformed wait", method: "GET", path: "/api/questions/unanswered?older_than=soon", token: tm.tok["hr"], want: 400, fields: []string{"older_than"}},
		})
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/questions/unanswered?older_than=1ns", tm.tok["hr"], "")
		if qs := into[[]channel.Question](t, body); len(qs) != 1 || qs[0].ID != q.ID {
			t.Errorf("unanswered = %+v", qs)
		}
		_, body = tm.expect(t, http.StatusCreated, "POST", qp+"/messages", tm.tok["hr"], `{"body":"按成交金额计算。"}`)
		if m := into[channel.Message](t, body); !m.FromHR {
			t.Errorf("HR's answer = %+v", m)
		}
		tm.expect(t, http.StatusCreated, "POST", qp+"/messages", tm.tok["emp"], `{"body":"谢谢！"}`)
		resp, _ := tm.expect(t, http.StatusOK, "GET", qp, tm.tok["hr"], "")
		tm.expect(t, http.StatusOK, "PUT", qp+"/public", tm.tok["hr"], `{"public":true}`, "If-Match", resp.Header.Get("ETag"))
		f.checkProblems(t, []problemCase{{name: "stale public", method: "PUT", path: qp + "/public", token: tm.tok["hr"],
			body: `{"public":false}`, headers: []string{"If-Match", resp.Header.Get("ETag")}, want: 409}})
		_, body = tm.expect(t, http.StatusOK, "GET", ap+"/questions", tm.tok["emp2"], "")
		qs := into[[]channel.Question](t, body)
		if len(qs) != 1 || qs[0].AskerID != "" || len(qs[0].Messages) != 3 {
			t.Errorf("public Q&A as another recipient = %+v, want it without the asker", qs)
		}

		tm.expect(t, http.StatusOK, "POST", ap+"/withdraw", tm.tok["hr"], `{"version":2}`)
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/me/announcements", tm.tok["emp"], "")
		if page := into[channel.InboxPage](t, body); len(page.Items) != 0 {
			t.Errorf("inbox after withdrawal = %+v", page)
		}
	})
}

func TestFeedbackAPI_AnonymousThreadByCode(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		_, body := tm.expect(t, http.StatusCreated, "POST", "/api/feedback", tm.tok["emp"],
			`{"category":"management","body":"新人都是王老师介绍的，有问题不敢提。"}`)
		sub := into[channel.Submission](t, body)
		if sub.Code == "" || sub.Feedback.ID == "" {
			t.Fatalf("submission = %+v", sub)
		}
		code := `"code":"` + sub.Code + `"`
		withTenant := `"tenant":"` + f.tenant + `",` + code

		// HR sees, tags, assigns and answers it.
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/feedback?status=open", tm.tok["hr"], "")
		page := into[channel.FeedbackPage](t, body)
		if len(page.Items) != 1 || page.Items[0].ID != sub.Feedback.ID {
			t.Fatalf("HR's feedback list = %+v", page)
		}
		fp := "/api/feedback/" + sub.Feedback.ID
		tm.expect(t, http.StatusOK, "PUT", fp+"/tags", tm.tok["hr"], `{"tags":["销售部"],"version":1}`)
		tm.expect(t, http.StatusOK, "PUT", fp+"/assignee", tm.tok["hr"], `{"assignee_id":"`+f.hrPerson.ID+`","version":2}`)
		tm.expect(t, http.StatusCreated, "POST", fp+"/replies", tm.tok["hr"], `{"body":"感谢反馈，我们会梳理客户分配规则。"}`)

		// The submitter reads the reply with the code alone: no session.
		_, body = tm.expect(t, http.StatusOK, "POST", "/api/feedback/by-code", "", `{`+withTenant+`}`)
		thread := into[channel.Feedback](t, body)
		if len(thread.Messages) != 1 || !thread.Messages[0].FromHR || thread.Messages[0].AuthorID != "" || thread.Tags != nil || thread.AssigneeID != "" {
			t.Errorf("thread by code = %+v, want HR's reply without HR's names or tags", thread)
		}
		// A session works too (its tenant is used, its identity is not).
		tm.expect(t, http.StatusOK, "POST", "/api/feedback/by-code", tm.tok["emp"], `{`+code+`}`)
		_, body = tm.expect(t, http.StatusOK, "POST", "/api/feedback/by-code/messages", "", `{`+withTenant+`,"body":"希望尽快公布。"}`)
		if got := into[channel.Feedback](t, body); len(got.Messages) != 2 || got.Messages[1].FromHR {
			t.Errorf("thread after the follow-up = %+v", got.Messages)
		}

		f.checkProblems(t, []problemCase{
			{name: "submitting needs a session", method: "POST", path: "/api/feedback", body: `{"body":"x"}`, want: 401},
			{name: "an empty submission", method: "POST", path: "/api/feedback", token: tm.tok["emp"], body: `{"category":"gossip","body":" "}`,
				want: 400, fields: []string{"category", "body"}},
			{name: "an unknown follow-up code", method: "POST", path: "/api/feedback/by-code", body: `{"tenant":"` + f.tenant + `","code":"ABCD-EFGH-JKLM"}`, want: 404},
			{name: "a code of another tenant", method: "POST", path: "/api/feedback/by-code", body: `{"tenant":"` + ballast.NewID() + `",` + code + `}`, want: 404},
			{name: "no tenant without a session", method: "POST", path: "/api/feedback/by-code", body: `{` + code + `}`, want: 400, fields: []string{"tenant"}},
			{name: "no code", method: "POST", path: "/api/feedback/by-code/messages", body: `{"tenant":"` + f.tenant + `","body":"x"}`, want: 400, fields: []string{"code"}},
			{name: "employees may not read feedback", method: "GET", path: "/api/feedback", token: tm.tok["emp"], want: 403},
			{name: "heads may not read feedback", method: "GET", path: fp, token: tm.tok["head"], want: 403},
			{name: "employees may not reply as HR", method: "POST", path: fp + "/replies", token: tm.tok["emp"], body: `{"body":"x"}`, want: 403},
			{name: "stale tags", method: "PUT", path: fp + "/tags", token: tm.tok["hr"], body: `{"tags":["x"],"version":1}`, want: 409},
			{name: "unknown item", method: "GET", path: "/api/feedback/" + ballast.NewID(), token: tm.tok["hr"], want: 404},
		})
		resp, _ := tm.expect(t, http.StatusOK, "GET", fp, tm.tok["hr"], "")
		etag := resp.Header.Get("ETag")
		tm.expect(t, http.StatusOK, "POST", fp+"/resolve", tm.tok["hr"], "", "If-Match", etag)
		f.checkProblems(t, []problemCase{{name: "resolve twice", method: "POST", path: fp + "/resolve", token: tm.tok["hr"],
			headers: []string{"If-Match", etag}, want: 409}})
		_, body = tm.expect(t, http.StatusOK, "GET", "/api/feedback?status=resolved&tag=%E9%94%80%E5%94%AE%E9%83%A8", tm.tok["hr"], "")
		if page := into[channel.FeedbackPage](t, body); len(page.Items) != 1 {
			t.Errorf("resolved and tagged = %+v", page)
		}
		_, body = tm.expect(t, http.StatusOK, "GET", fp, tm.tok["hr"], "")
		tm.expect(t, http.StatusOK, "POST", fp+"/reopen", tm.tok["hr"], `{"version":`+jsonNumber(into[channel.Feedback](t, body).Version)+`}`)
	})
}

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestFeedbackAPI_LogsNoIdentity submits feedback and follows it up, then
// reads the request log: the lines of the feedback requests hold only the
// method, path, status and duration (no subject, login, address or code),
// and the code appears nowhere in the log.
func TestFeedbackAPI_LogsNoIdentity(t *testing.T) {
	t.Parallel()
	eachFixture(t, func(t *testing.T, f *fixture) {
		tm := newTeam(t, f)
		_, body := tm.expect(t, http.StatusCreated, "POST", "/api/feedback", tm.tok["emp"], `{"body":"仓库太热了。"}`)
		sub := into[channel.Submission](t, body)
		tm.expect(t, http.StatusOK, "POST", "/api/feedback/by-code/messages", tm.tok["emp"], `{"code":"`+sub.Code+`","body":"补充：下午尤其热。"}`)
		tm.expect(t, http.StatusBadRequest, "POST", "/api/feedback", tm.tok["emp"], `{"body":""}`)

		logs := f.logs.String()
		if strings.Contains(logs, sub.Code) {
			t.Errorf("the follow-up code is in the log:\n%s", logs)
		}
		var lines int
		sc := bufio.NewScanner(strings.NewReader(logs))
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
				t.Fatalf("log line %q: %v", sc.Text(), err)
			}
			path, _ := rec["path"].(string)
			if rec["msg"] != "http" || !strings.HasPrefix(path, "/api/feedback") {
				continue
			}
			lines++
			var keys []string
			for k := range rec {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if diff := cmp.Diff([]string{"level", "method", "msg", "path", "status", "time", "took"}, keys); diff != "" {
				t.Errorf("feedback request logged other attributes (-want +got):\n%s\n%s", diff, sc.Text())
			}
			for _, secret := range []string{f.emp.ID, "acme.emp", "Emma", "192.0.2.1"} {
				if strings.Contains(sc.Text(), secret) {
					t.Errorf("feedback request log line names %q: %s", secret, sc.Text())
				}
			}
		}
		if lines != 3 {
			t.Errorf("found %d feedback request lines in the log, want 3:\n%s", lines, logs)
		}
	})
}
