package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/notify"
	"github.com/ballast-hr/ballast/storage"
)

func TestDirectories_MergeFieldsInOrderAndReportUnknown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emails := notify.StaticDirectory{"e1": {Name: "王丽", Email: "wangli@example.com"}, "e2": {Name: "刘强"}}
	chat := notify.StaticDirectory{"e1": {Name: "ignored", WeComUserID: "WangLi", DingTalkUserID: "ding1"}, "e3": {WeComUserID: "Zhao"}}
	dir := notify.Directories{emails, nil, chat}
	for _, tc := range []struct {
		recipient string
		want      notify.Address
	}{
		{"e1", notify.Address{Name: "王丽", Email: "wangli@example.com", WeComUserID: "WangLi", DingTalkUserID: "ding1"}},
		{"e2", notify.Address{Name: "刘强"}},
		{"e3", notify.Address{WeComUserID: "Zhao"}},
	} {
		got, err := dir.Resolve(ctx, "t", tc.recipient)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("Resolve(%s) (-want +got):\n%s", tc.recipient, d)
		}
	}
	if _, err := dir.Resolve(ctx, "t", "nobody"); !errors.Is(err, ballast.ErrNotFound) {
		t.Errorf("unknown recipient: error = %v, want ErrNotFound", err)
	}
	down := errors.New("down")
	failing := notify.Directories{emails, notify.DirectoryFunc(func(context.Context, string, string) (notify.Address, error) {
		return notify.Address{}, down
	})}
	if _, err := failing.Resolve(ctx, "t", "e1"); !errors.Is(err, down) {
		t.Errorf("failing directory: error = %v, want %v", err, down)
	}
}

func TestHRNotifyDirectory_ResolvesEmployeesOfTheTenantOnly(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
		seed := func(name, email string) (tenant, employee string) {
			tenant = ballast.NewID()
			if err := db.HR().InsertTenant(ctx, hr.Tenant{ID: tenant, Name: "T", TimeZone: "Asia/Shanghai", Locale: hr.LocaleZhCN,
				CreatedAt: t0, UpdatedAt: t0, Version: 1}); err != nil {
				t.Fatal(err)
			}
			d := hr.Department{ID: ballast.NewID(), Name: "Sales", CreatedAt: t0, UpdatedAt: t0, Version: 1}
			e := hr.Employee{ID: ballast.NewID(), Number: "E1", Name: name, Email: email, DepartmentID: d.ID,
				HireDate: hr.NewDate(2020, 1, 1), HireChannel: hr.ChannelCampus, Status: hr.StatusActive,
				CreatedAt: t0, UpdatedAt: t0, Version: 1}
			if err := db.HR().InsertDepartments(ctx, tenant, []hr.Department{d}); err != nil {
				t.Fatal(err)
			}
			if err := db.HR().InsertEmployees(ctx, tenant, []hr.Employee{e}); err != nil {
				t.Fatal(err)
			}
			return tenant, e.ID
		}
		a, wang := seed("王丽", "wangli@example.com")
		b, _ := seed("Other", "other@example.com")
		dir := notify.Directories{hr.NotifyDirectory{Store: db.HR()}, notify.StaticDirectory{wang: {WeComUserID: "WangLi"}}}
		got, err := dir.Resolve(ctx, a, wang)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(notify.Address{Name: "王丽", Email: "wangli@example.com", WeComUserID: "WangLi"}, got); d != "" {
			t.Errorf("Resolve (-want +got):\n%s", d)
		}
		hrDir := hr.NotifyDirectory{Store: db.HR()}
		if _, err := hrDir.Resolve(ctx, b, wang); !errors.Is(err, ballast.ErrNotFound) {
			t.Errorf("another tenant's employee: error = %v, want ErrNotFound", err)
		}
		got, err = hrDir.Resolve(ctx, b, "boss@example.com")
		if err != nil || got != (notify.Address{Email: "boss@example.com"}) {
			t.Errorf("e-mail recipient = %+v, %v", got, err)
		}
		if _, err := hrDir.Resolve(ctx, a, "not an address"); !errors.Is(err, ballast.ErrNotFound) {
			t.Errorf("garbage recipient: error = %v, want ErrNotFound", err)
		}
	})
}
