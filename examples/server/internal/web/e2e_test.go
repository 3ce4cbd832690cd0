package web_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ballast-hr/ballast/examples/server/internal/demo"
)

// The end-to-end test drives the UI in real headless Chromium. It is
// skipped when no Chromium is installed, unless BALLAST_E2E=required (as
// in CI), where a missing browser fails it.
const (
	envE2E         = "BALLAST_E2E"
	envChromium    = "BALLAST_CHROMIUM"        // path of the browser; default: chromium on PATH, then /usr/bin/chromium
	envScreenshots = "BALLAST_E2E_SCREENSHOTS" // directory to keep screenshots in; default: the test's temp dir
)

// chromiumPath finds the browser, or skips (or fails) the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv(envChromium)}
	if p, err := exec.LookPath("chromium"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/chromium", "/usr/bin/chromium-browser")
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return c
		}
	}
	if os.Getenv(envE2E) == "required" {
		t.Fatalf("%s=required but no Chromium found (install Debian's chromium or set %s)", envE2E, envChromium)
	}
	t.Skipf("no Chromium found; install Debian's chromium to run the browser test (or set %s)", envChromium)
	return ""
}

// browserRun is one headless Chromium driven through a journey: each step
// has its own deadline; screenshots go to BALLAST_E2E_SCREENSHOTS (or the
// test's temp dir).
type browserRun struct {
	t     *testing.T
	ctx   context.Context
	shots string
}

// startBrowser starts Chromium for the test and stops it at cleanup.
func startBrowser(t *testing.T, exe string) *browserRun {
	t.Helper()
	shots := os.Getenv(envScreenshots)
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })

	// Start the browser on a context without a deadline, so a step's
	// timeout ends the step, not the browser.
	startCtx, cancelStart := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelStart()
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-startCtx.Done():
		t.Fatal("chromium did not start within 60s")
	}
	return &browserRun{t: t, ctx: ctx, shots: shots}
}

// step runs one part of the journey with its own deadline.
func (b *browserRun) step(name string, fn func(ctx context.Context) error) {
	b.t.Helper()
	sctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := fn(sctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			b.t.Fatalf("%s: timed out: %v", name, err)
		}
		b.t.Fatalf("%s: %v", name, err)
	}
}

// shot saves a full-page screenshot.
func (b *browserRun) shot(ctx context.Context, name string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644)
}

// expect fails the test for each want the text of sel lacks.
func (b *browserRun) expect(ctx context.Context, sel string, wants ...string) error {
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		return err
	}
	for _, w := range wants {
		if !strings.Contains(got, w) {
			b.t.Errorf("%s: text lacks %q; got %.300q", sel, w, got)
		}
	}
	return nil
}

// signIn signs in through the form on the current page and waits for the
// page it leads to.
func signIn(login string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.ID("submit")),
		chromedp.WaitVisible(chromedp.ID("logout")),
	}
}

func TestE2E_HRSignsInBrowsesTheOrgAndAProfileSwitchesLanguageAndSignsOut(t *testing.T) {
	exe := chromiumPath(t)
	s := newSite(t)
	wang := s.logins["wangli"]

	br := startBrowser(t, exe)
	step, shot, expect := br.step, br.shot, br.expect

	step("open a page and land on the sign-in form", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(s.srv.URL+"/org"),
			chromedp.WaitVisible(chromedp.ID("login")),
		); err != nil {
			return err
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return err
		}
		if !strings.Contains(loc, "/login?next=%2Forg") {
			t.Errorf("location = %s, want the sign-in form remembering /org", loc)
		}
		return shot(ctx, "1-login")
	})

	step("sign in as HR through the form", func(ctx context.Context) error {
		return chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("login"), "hr"),
			chromedp.SendKeys(chromedp.ID("password"), demo.Password),
			chromedp.Click(chromedp.ID("submit")),
			chromedp.WaitVisible(chromedp.ID("org-tree")),
		)
	})

	step("see the sales department in the org tree", func(ctx context.Context) error {
		if err := expect(ctx, "#org-tree", "销售部", "大客户组", "王丽", "刘强"); err != nil {
			return err
		}
		return shot(ctx, "2-org")
	})

	step("find the senior salesperson in the employee list", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`header nav a[href="/employees"]`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="q"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), "王丽"),
			chromedp.Submit(chromedp.CSS(`input[name="q"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#employee-list a[href="/employees/`+wang.EmployeeID+`"]`)),
		); err != nil {
			return err
		}
		if err := shot(ctx, "3-employees"); err != nil {
			return err
		}
		return chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`#employee-list a[href="/employees/`+wang.EmployeeID+`"]`)),
			chromedp.WaitVisible(chromedp.ID("performance")),
		)
	})

	step("see her performance history and the employees she referred", func(ctx context.Context) error {
		if err := expect(ctx, "#profile-name", "王丽"); err != nil {
			return err
		}
		if err := expect(ctx, "#performance", "历年绩效", "2026H1", "2025H2", "2023H2"); err != nil {
			return err
		}
		if err := expect(ctx, "#referrals", "推荐的员工", "赵敏", "张磊", "离职中"); err != nil {
			return err
		}
		return shot(ctx, "4-profile-zh")
	})

	step("switch the language to English", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`header a[data-lang="en"]`)),
			chromedp.WaitVisible(chromedp.Search(`//h2[contains(., "Performance history")]`)),
		); err != nil {
			return err
		}
		if err := expect(ctx, "#referrals", "Referrals made", "Resigning"); err != nil {
			return err
		}
		if err := expect(ctx, "header", "Organisation", "Employees", "Sign out"); err != nil {
			return err
		}
		lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
		if err != nil {
			return err
		}
		if lang != "en" {
			t.Errorf("html lang = %q, want en", lang)
		}
		return shot(ctx, "5-profile-en")
	})

	step("sign out", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.ID("logout")),
			chromedp.WaitVisible(chromedp.ID("login")),
		); err != nil {
			return err
		}
		if err := expect(ctx, "form.login", "Sign in"); err != nil {
			return err
		}
		// The session is gone: the org tree asks for a sign-in again.
		return chromedp.Do(ctx,
			chromedp.Navigate(s.srv.URL+"/org"),
			chromedp.WaitVisible(chromedp.ID("login")),
		)
	})

	step("an employee edits her own skills in self-service", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("login"), "zhaomin"),
			chromedp.SendKeys(chromedp.ID("password"), demo.Password),
			chromedp.Click(chromedp.ID("submit")),
			chromedp.WaitVisible(chromedp.ID("org-tree")),
			chromedp.Click(chromedp.CSS(`header nav a[href="/employees/`+s.logins["zhaomin"].EmployeeID+`"]`)),
			chromedp.WaitVisible(chromedp.ID("self-service")),
		); err != nil {
			return err
		}
		// The first empty skill row takes the new skill.
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.JSPath(`[...document.querySelectorAll('#self-service input[name="skill_name"]')].find(e => e.value === "")`), "Excel 数据分析"),
		); err != nil {
			return err
		}
		if err := shot(ctx, "6-self-service"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.ID("save-self")),
			chromedp.WaitVisible(chromedp.CSS(".alert.ok")),
		); err != nil {
			return err
		}
		return expect(ctx, "#skills", "Excel 数据分析")
	})
	t.Logf("screenshots in %s", br.shots)
}

func TestE2E_RiskViewOwnCustomersAndAnonymousFeedbackAnsweredByCode(t *testing.T) {
	exe := chromiumPath(t)
	s := newSite(t)
	br := startBrowser(t, exe)
	signOut := func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login")))
	}

	br.step("HR opens the risk view and sees the sales cluster and 王丽 flagged", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(s.srv.URL + "/risk")},
			append(signIn("hr"), chromedp.WaitVisible(chromedp.ID("referral-tree")))...)...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#risk-departments tr.cluster", "大客户组", "依赖集群", "王丽"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#risk-detail", "大客户组", "依赖集群"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#flagged-people", "王丽", "推荐了", "大客户价值"); err != nil {
			return err
		}
		// The drawing highlights her as the key referrer and her recruits as the cluster.
		key, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#referral-tree svg .key')].map(n => n.textContent).join(",")`))
		if err != nil {
			return err
		}
		if !strings.Contains(key, "王丽") {
			t.Errorf("key referrer in the drawing = %q, want 王丽", key)
		}
		members, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#referral-tree svg .cluster').length`))
		if err != nil {
			return err
		}
		if members < 5 {
			t.Errorf("cluster nodes drawn = %d, want the team she referred", members)
		}
		if err := br.shot(ctx, "7-risk"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("王丽 sees only her own customers", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("wangli"),
			chromedp.Navigate(s.srv.URL+"/customers"),
			chromedp.WaitVisible(chromedp.ID("customer-list")))...); err != nil {
			return err
		}
		owners, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#customer-list tbody tr td:nth-child(6)')].map(td => td.textContent.trim())`))
		if err != nil {
			return err
		}
		if len(owners) == 0 {
			t.Error("王丽's customer list is empty")
		}
		for _, o := range owners {
			if o != "王丽" {
				t.Errorf("王丽's list shows a customer owned by %q", o)
			}
		}
		filters, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#owner-filter, #export-csv').length`))
		if err != nil {
			return err
		}
		if filters != 0 {
			t.Error("a salesperson sees the owner filter or the export button")
		}
		// Her customer opens with its history.
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.CSS(`#customer-list tbody tr:first-child td a`)),
			chromedp.WaitVisible(chromedp.ID("history")),
		); err != nil {
			return err
		}
		if err := br.expect(ctx, "#customer-owner", "王丽"); err != nil {
			return err
		}
		if err := br.shot(ctx, "8-customer"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	var code string
	feedback := "销售部的客户分配不透明，希望公开规则。"
	br.step("an employee sends anonymous feedback and gets a code once", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("zhaomin"),
			chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/feedback"]`)),
			chromedp.Click(chromedp.CSS(`header nav a[href="/feedback"]`)),
			chromedp.WaitVisible(chromedp.ID("privacy")),
			chromedp.SendKeys(chromedp.CSS(`#feedback-form textarea[name="body"]`), feedback),
			chromedp.Click(chromedp.ID("submit-feedback")),
			chromedp.WaitVisible(chromedp.ID("followup-code")))...); err != nil {
			return err
		}
		var err error
		if code, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("followup-code"))); err != nil {
			return err
		}
		code = strings.TrimSpace(code)
		if len(code) < 8 {
			t.Fatalf("follow-up code %q is too short", code)
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return err
		}
		if strings.Contains(loc, code) {
			t.Errorf("the code is in the URL %s", loc)
		}
		if err := br.shot(ctx, "9-feedback-code"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("HR replies in the feedback inbox", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("hr"),
			chromedp.Navigate(s.srv.URL+"/feedback/inbox"),
			chromedp.WaitVisible(chromedp.ID("feedback-list")),
			chromedp.Click(chromedp.Search(`//table[@id="feedback-list"]//a[contains(., "客户分配不透明")]`)),
			chromedp.WaitVisible(chromedp.ID("reply-body")),
			chromedp.SendKeys(chromedp.ID("reply-body"), "已收到，下月公布客户分配规则。"),
			chromedp.Click(chromedp.ID("reply-feedback")),
			chromedp.WaitVisible(chromedp.CSS(".alert.ok")))...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#feedback-thread", feedback, "已收到，下月公布客户分配规则。", "匿名员工"); err != nil {
			return err
		}
		if err := br.shot(ctx, "10-feedback-item"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("the code shows HR's reply, without signing in", func(ctx context.Context) error {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(s.srv.URL+"/feedback/check"),
			chromedp.WaitVisible(chromedp.ID("code")),
			chromedp.SendKeys(chromedp.ID("code"), code),
			chromedp.Click(chromedp.ID("check-code")),
			chromedp.WaitVisible(chromedp.ID("feedback-thread")),
		); err != nil {
			return err
		}
		if err := br.expect(ctx, "#feedback-thread", feedback, "已收到，下月公布客户分配规则。"); err != nil {
			return err
		}
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			return err
		}
		if strings.Contains(loc, code) || !strings.HasSuffix(loc, "/feedback/check") {
			t.Errorf("location after the check = %s; the code must travel in the body only", loc)
		}
		return br.shot(ctx, "11-feedback-check")
	})
	t.Logf("screenshots in %s", br.shots)
}
