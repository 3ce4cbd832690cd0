package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2E_AssessmentCycleSelfEvaluationScoringResultAndAppeal runs a
// review in the browser: HR opens a cycle over 王丽; she evaluates herself;
// HR starts manager review and 刘强 (her manager) enters the actual and
// scores; HR calibrates and finalises; 王丽 reads her printable result and
// appeals one indicator; HR adjusts it, and the result shows the change.
func TestE2E_AssessmentCycleSelfEvaluationScoringResultAndAppeal(t *testing.T) {
	exe := chromiumPath(t)
	s := newSite(t)
	f := s.newAssessFixture(t)
	br := startBrowser(t, exe)
	cyc := s.srv.URL + "/assessment/cycles/" + f.cycle.ID
	signOut := func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login")))
	}
	// move clicks the cycle page's transition button and waits for the
	// next one (or, after finalising, for the report).
	move := func(ctx context.Context, action, next string) error {
		wait := chromedp.WaitVisible(chromedp.CSS(`#transition[data-action="` + next + `"]`))
		if next == "" {
			wait = chromedp.WaitVisible(chromedp.ID("finalise-report"))
		}
		return chromedp.Do(ctx,
			chromedp.Navigate(cyc),
			chromedp.WaitVisible(chromedp.CSS(`#transition[data-action="`+action+`"]`)),
			chromedp.Click(chromedp.ID("transition")),
			wait)
	}

	br.step("HR finds the draft cycle and opens it for self-evaluation", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(s.srv.URL + "/assessment")},
			append(signIn("hr"),
				chromedp.Click(chromedp.ID("hr-cycles")),
				chromedp.WaitVisible(chromedp.ID("cycle-list")),
				chromedp.Click(chromedp.CSS(`#cycle-list a[href="/assessment/cycles/`+f.cycle.ID+`"]`)),
				chromedp.WaitVisible(chromedp.ID("phases")),
				chromedp.Click(chromedp.ID("transition")),
				chromedp.WaitVisible(chromedp.CSS(`#transition[data-action="manager_review"]`)))...)...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#cycle-state", "自评中"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#progress", "待自评"); err != nil {
			return err
		}
		if err := br.shot(ctx, "as-1-cycle-open"); err != nil {
			return err
		}
		return signOut(ctx)
	})
	p := s.participant(t, f)
	review := `a[href="/assessment/reviews/` + p.ID + `"]`

	br.step("王丽 finds her task and submits her self-evaluation", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("wangli"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/assessment"]`)),
			chromedp.WaitVisible(chromedp.ID("my-tasks")),
			chromedp.Click(chromedp.CSS(`#my-tasks `+review)),
			chromedp.WaitVisible(chromedp.ID("self-form")),
			chromedp.SendKeys(chromedp.CSS(`input[name="s0_score"]`), "95"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name="s0_comment"]`), "独立成交 42 单"),
			chromedp.SendKeys(chromedp.CSS(`input[name="s0_link"]`), "https://crm.example.com/report/42"),
			chromedp.SetValue(chromedp.CSS(`select[name="s1_score"]`), "4"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name="s1_comment"]`), "带教三名新人"),
		)...); err != nil {
			return err
		}
		if err := br.shot(ctx, "as-2-self"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("self-submit")), chromedp.WaitVisible(chromedp.CSS(".alert.ok"))); err != nil {
			return err
		}
		if err := br.expect(ctx, "#review-status", "已提交自评"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("HR starts manager review", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, signIn("hr")...); err != nil {
			return err
		}
		if err := move(ctx, "manager_review", "calibration"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("刘强 sees the self-evaluation, enters the actual and scores", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("liuqiang"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/assessment"]`)),
			chromedp.WaitVisible(chromedp.ID("my-tasks")),
			chromedp.Click(chromedp.CSS(`#my-tasks `+review)),
			chromedp.WaitVisible(chromedp.ID("manager-form")))...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#manager-items", "独立成交 42 单", "带教三名新人"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS(`input[name="m0_actual"]`), "42"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name="m0_comment"]`), "超额完成"),
			chromedp.SetValue(chromedp.CSS(`select[name="m1_score"]`), "3"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name="m1_comment"]`), "带教有成效，还可更系统"),
		); err != nil {
			return err
		}
		if err := br.shot(ctx, "as-3-manager"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("manager-submit")), chromedp.WaitVisible(chromedp.CSS(".alert.ok"))); err != nil {
			return err
		}
		if err := br.expect(ctx, "#review-status", "上级已评分"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("HR calibrates and finalises", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, signIn("hr")...); err != nil {
			return err
		}
		if err := move(ctx, "calibration", "finalise"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.ID("open-calibration")),
			chromedp.WaitVisible(chromedp.ID("distribution")),
		); err != nil {
			return err
		}
		if err := br.expect(ctx, "#calibration-people", "王丽"); err != nil {
			return err
		}
		if err := br.shot(ctx, "as-4-calibration"); err != nil {
			return err
		}
		if err := move(ctx, "finalise", ""); err != nil {
			return err
		}
		if err := br.expect(ctx, "#cycle-state", "已定稿"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	var score string
	br.step("王丽 reads her result and appeals the coaching score", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("wangli"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/assessment"]`)),
			chromedp.WaitVisible(chromedp.ID("my-reviews")),
			chromedp.Click(chromedp.CSS(`#my-reviews a[href="/assessment/reviews/`+p.ID+`/result"]`)),
			chromedp.WaitVisible(chromedp.ID("result-summary")))...); err != nil {
			return err
		}
		var err error
		if score, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("result-score"))); err != nil {
			return err
		}
		// 60 × min(42/40, 1) × 100 + 40 × (3−1)/(5−1) × 100 = 60 + 20.
		if strings.TrimSpace(score) != "80.0" {
			t.Errorf("result score = %q, want 80.0", score)
		}
		if err := br.expect(ctx, "#result-items", "独立成交订单", "带教与协作", "带教有成效，还可更系统"); err != nil {
			return err
		}
		if err := br.shot(ctx, "as-5-result"); err != nil {
			return err
		}
		return chromedp.Do(ctx,
			chromedp.SetValue(chromedp.ID("appeal-item"), "web_coaching"),
			chromedp.SendKeys(chromedp.ID("appeal-reason"), "带教的三名新人均已独立成交，评分偏低。"),
			chromedp.Click(chromedp.ID("appeal-submit")),
			chromedp.WaitVisible(chromedp.ID("appeal-thread")),
			chromedp.Click(chromedp.ID("logout")),
			chromedp.WaitVisible(chromedp.ID("login")),
		)
	})

	br.step("HR adjusts the coaching score and 王丽's result follows", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("hr"),
			chromedp.Navigate(s.srv.URL+"/appeals"),
			chromedp.WaitVisible(chromedp.ID("appeals-all")),
			chromedp.Click(chromedp.CSS(`#appeals-all a[href^="/appeals/"]`)),
			chromedp.WaitVisible(chromedp.ID("decide-form")),
			chromedp.Click(chromedp.ID("decide-adjusted")),
			chromedp.SetValue(chromedp.ID("decide-score"), "100"),
			chromedp.SendKeys(chromedp.ID("decide-reason"), "复核属实，上调带教评分"),
			chromedp.Click(chromedp.ID("decide-submit")),
			chromedp.WaitVisible(chromedp.ID("appeal-outcome")))...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#appeal-status", "调整结果"); err != nil {
			return err
		}
		if err := br.shot(ctx, "as-6-appeal-decided"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.ID("appeal-result")),
			chromedp.WaitVisible(chromedp.ID("result-adjustments")),
		); err != nil {
			return err
		}
		after, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("result-score")))
		if err != nil {
			return err
		}
		// The coaching indicator goes from 50 to 100: 60 + 40.
		if strings.TrimSpace(after) != "100.0" {
			t.Errorf("adjusted score = %q, want 100.0 (was %s)", after, score)
		}
		return br.shot(ctx, "as-7-result-adjusted")
	})
}
