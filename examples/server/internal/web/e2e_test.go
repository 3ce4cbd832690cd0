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

func TestE2E_HRSignsInBrowsesTheOrgAndAProfileSwitchesLanguageAndSignsOut(t *testing.T) {
	exe := chromiumPath(t)
	s := newSite(t)
	wang := s.logins["wangli"]

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
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()

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

	// step runs one part of the journey with its own deadline.
	step := func(name string, fn func(ctx context.Context) error) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := fn(sctx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("%s: timed out: %v", name, err)
			}
			t.Fatalf("%s: %v", name, err)
		}
	}
	shot := func(ctx context.Context, name string) error {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
	}
	textOf := func(ctx context.Context, sel string) (string, error) {
		return chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	}
	expect := func(ctx context.Context, sel string, wants ...string) error {
		got, err := textOf(ctx, sel)
		if err != nil {
			return err
		}
		for _, w := range wants {
			if !strings.Contains(got, w) {
				t.Errorf("%s: text lacks %q; got %.300q", sel, w, got)
			}
		}
		return nil
	}

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
	t.Logf("screenshots in %s", shots)
}
