package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestE2E_OffboardingCaseSignatureAndReport runs 张磊's offboarding in the
// browser: HR opens the case and sees the steps and the preview of the next
// revocation stage; 赵敏 signs for the customers handed over to her and
// becomes their owner; HR opens the printable handover report.
func TestE2E_OffboardingCaseSignatureAndReport(t *testing.T) {
	exe := chromiumPath(t)
	s := newSite(t)
	c := s.demoCase(t)
	br := startBrowser(t, exe)
	signOut := func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("login")))
	}

	br.step("HR opens 张磊's case from the list and sees the steps and the access preview", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(s.srv.URL + "/offboarding")},
			append(signIn("hr"),
				chromedp.WaitVisible(chromedp.ID("case-list")),
				chromedp.Click(chromedp.CSS(`#case-list a[href="/offboarding/`+c.ID+`"]`)),
				chromedp.WaitVisible(chromedp.ID("steps")))...)...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#case-title", "张磊"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#steps", "客户交接", "工作交接", "物品归还", "权限收回"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#stages", "已执行", "下一阶段"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#stage-preview", "customers:read:key"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#handover-list", "李娜 已签收", "待签收"); err != nil {
			return err
		}
		if err := br.shot(ctx, "ob-1-case-hr"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	var signed []string
	br.step("赵敏 signs for the customers handed over to her", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("zhaomin"),
			chromedp.Click(chromedp.CSS(`header nav a[href="/offboarding"]`)),
			chromedp.WaitVisible(chromedp.ID("case-list")),
			chromedp.Click(chromedp.CSS(`#case-list a[href="/offboarding/`+c.ID+`"]`)),
			chromedp.WaitVisible(chromedp.ID("open-sign")),
			chromedp.Click(chromedp.ID("open-sign")),
			chromedp.WaitVisible(chromedp.ID("sign-hash")))...); err != nil {
			return err
		}
		hash, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("sign-hash")))
		if err != nil {
			return err
		}
		if len(strings.TrimSpace(hash)) != 64 {
			t.Errorf("the sign page shows hash %q, want a SHA-256", hash)
		}
		if signed, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#sign-customers tbody tr td:first-child')].map(td => td.textContent.trim())`)); err != nil {
			return err
		}
		if len(signed) != 3 {
			t.Errorf("customers to sign for = %q, want 3", signed)
		}
		if err := br.shot(ctx, "ob-2-sign"); err != nil {
			return err
		}
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.ID("sign-confirm")),
			chromedp.WaitVisible(chromedp.CSS(".alert.ok")),
		); err != nil {
			return err
		}
		if err := br.expect(ctx, "#handover-list", "赵敏 已签收"); err != nil {
			return err
		}
		if err := br.shot(ctx, "ob-3-signed"); err != nil {
			return err
		}
		// The customer is hers now.
		if len(signed) == 0 {
			return nil
		}
		if err := chromedp.Do(ctx,
			chromedp.Click(chromedp.Search(`//table[@id="handover-list"]//a[normalize-space(.)="`+signed[0]+`"]`)),
			chromedp.WaitVisible(chromedp.ID("customer-owner")),
		); err != nil {
			return err
		}
		if err := br.expect(ctx, "#customer-owner", "赵敏"); err != nil {
			return err
		}
		return signOut(ctx)
	})

	br.step("HR opens the handover report", func(ctx context.Context) error {
		if err := chromedp.Do(ctx, append(signIn("hr"),
			chromedp.Navigate(s.srv.URL+"/offboarding/"+c.ID),
			chromedp.WaitVisible(chromedp.ID("open-report")),
			chromedp.Click(chromedp.ID("open-report")),
			chromedp.WaitVisible(chromedp.ID("report-integrity")))...); err != nil {
			return err
		}
		if err := br.expect(ctx, "#report-integrity", "被修改"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#report-customers", "李娜", "赵敏", "SHA-256"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#report-revocations", "禁止导出与设置", "customers:export"); err != nil {
			return err
		}
		if err := br.expect(ctx, "#report-steps", "客户交接"); err != nil {
			return err
		}
		if err := br.shot(ctx, "ob-4-report"); err != nil {
			return err
		}
		// The print stylesheet drops the header and the buttons.
		if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		})); err != nil {
			return err
		}
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('header.top')).display === 'none' && getComputedStyle(document.querySelector('.noprint')).display === 'none'`))
		if err != nil {
			return err
		}
		if !hidden {
			t.Error("the printed report still shows the header or the buttons")
		}
		return br.shot(ctx, "ob-5-report-print")
	})
	if dir := os.Getenv(envScreenshots); dir != "" {
		t.Logf("screenshots in %s", filepath.Clean(dir))
	}
}
