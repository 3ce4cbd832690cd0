package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
)

// RunAssets runs the conformance suite for assets.Store. open must return
// a fresh, empty, migrated backend for every call: a transactor, the hr
// store (the suite seeds tenants, departments and employees through it) and
// the assets store, all joining the transactor's transactions.
func RunAssets(t *testing.T, open func(t *testing.T) (ballast.Transactor, hr.Store, assets.Store)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, tx ballast.Transactor, w assetWorld, s assets.Store)
	}{
		{"AssetsRoundTripWithVersionsAndTags", testAssetsRoundTrip},
		{"IssuancesKeepHistoryInOrder", testAssetsIssuances},
		{"ScopeLimitsWhatIsListed", testAssetsScope},
		{"ListFiltersAndPagesByKeyset", testAssetsList},
		{"RolledBackWritesLeaveNothing", testAssetsRollback},
		{"TenantBNeverTouchesTenantA", testAssetsIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tx, h, s := open(t)
			tc.fn(t, tx, seedAssetWorld(t, tx, h, "A"), s)
		})
	}
}

// assetT0 is the instant the suite's records are stamped with.
var assetT0 = time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC)

// assetWorld is one tenant with Sales (headed by head) ⊃ Sales East, and
// IT: rep works in Sales East, tech in IT.
type assetWorld struct {
	hr               hr.Store
	tx               ballast.Transactor
	tenant           string
	head, rep, tech  hr.Employee
	sales, east, itD hr.Department
}

func seedAssetWorld(t *testing.T, tx ballast.Transactor, s hr.Store, name string) assetWorld {
	t.Helper()
	ctx := context.Background()
	w := assetWorld{hr: s, tx: tx, tenant: ballast.NewID()}
	assetMust(t, s.InsertTenant(ctx, hr.Tenant{ID: w.tenant, Name: name, TimeZone: "Asia/Shanghai",
		Locale: hr.LocaleZhCN, CreatedAt: assetT0, UpdatedAt: assetT0, Version: 1}))
	dept := func(n, parent string) hr.Department {
		return hr.Department{ID: ballast.NewID(), Name: n, ParentID: parent, CreatedAt: assetT0, UpdatedAt: assetT0, Version: 1}
	}
	w.sales = dept("Sales", "")
	w.east = dept("Sales East", w.sales.ID)
	w.itD = dept("IT", "")
	emp := func(number, n, d string) hr.Employee {
		return hr.Employee{ID: ballast.NewID(), Number: number, Name: n, DepartmentID: d,
			HireDate: hr.NewDate(2024, 3, 1), HireChannel: hr.ChannelCampus, Status: hr.StatusActive,
			CreatedAt: assetT0, UpdatedAt: assetT0, Version: 1}
	}
	w.head, w.rep, w.tech = emp("A1", "刘强", w.sales.ID), emp("A2", "王丽", w.east.ID), emp("A3", "Tech", w.itD.ID)
	w.sales.HeadID = w.head.ID
	// The head is inserted after the department naming them: one
	// transaction, so the deferred reference is checked at commit.
	assetMust(t, tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.InsertDepartments(ctx, w.tenant, []hr.Department{w.sales, w.east, w.itD}); err != nil {
			return err
		}
		return s.InsertEmployees(ctx, w.tenant, []hr.Employee{w.head, w.rep, w.tech})
	}))
	return w
}

func assetOf(name, tag string) assets.Asset {
	return assets.Asset{ID: ballast.NewID(), Kind: assets.KindLaptop, Name: name, Model: "X1", Tag: tag,
		Condition: assets.ConditionNew, Status: assets.StatusInStock, CreatedAt: assetT0, UpdatedAt: assetT0, Version: 1}
}

func issued(a assets.Asset, holder string) assets.Asset {
	a.Holder, a.Status, a.IssuedOn, a.DueBack = holder, assets.StatusIssued, hr.NewDate(2026, 5, 6), hr.NewDate(2026, 12, 31)
	return a
}

func assetMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func assetWant(t *testing.T, what string, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: error = %v, want %v", what, err, kind)
	}
}

func assetIDs(as []assets.Asset) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

func testAssetsRoundTrip(t *testing.T, _ ballast.Transactor, w assetWorld, s assets.Store) {
	ctx := context.Background()
	a := issued(assetOf("ThinkPad 1", "IT-1"), w.rep.ID)
	a.Notes = "带充电器"
	assetMust(t, s.InsertAsset(ctx, w.tenant, a))
	got, err := s.Asset(ctx, w.tenant, a.ID, assets.Scope{All: true})
	assetMust(t, err)
	if d := cmp.Diff(a, got); d != "" {
		t.Errorf("Asset (-want +got):\n%s", d)
	}
	got, err = s.AssetByTag(ctx, w.tenant, "IT-1")
	assetMust(t, err)
	if got.ID != a.ID {
		t.Errorf("AssetByTag = %s, want %s", got.ID, a.ID)
	}
	_, err = s.AssetByTag(ctx, w.tenant, "IT-404")
	assetWant(t, "AssetByTag of an unknown tag", err, ballast.ErrNotFound)
	_, err = s.Asset(ctx, w.tenant, ballast.NewID(), assets.Scope{All: true})
	assetWant(t, "Asset of an unknown id", err, ballast.ErrNotFound)

	// Tags are unique when set; assets without one never collide.
	assetWant(t, "insert of a duplicate tag", s.InsertAsset(ctx, w.tenant, assetOf("Other", "IT-1")), ballast.ErrConflict)
	assetMust(t, s.InsertAsset(ctx, w.tenant, assetOf("Cards 1", "")))
	assetMust(t, s.InsertAsset(ctx, w.tenant, assetOf("Cards 2", "")))

	// Update by version: the new fields stick, a stale version conflicts.
	up := a
	up.Holder, up.Status, up.IssuedOn, up.DueBack, up.ReturnedOn = "", assets.StatusInStock, hr.Date{}, hr.Date{}, hr.NewDate(2026, 6, 1)
	up.Condition, up.Tag, up.UpdatedAt, up.Version = assets.ConditionWorn, "IT-1b", assetT0.Add(time.Hour), 2
	assetMust(t, s.UpdateAsset(ctx, w.tenant, up, 1))
	got, err = s.Asset(ctx, w.tenant, a.ID, assets.Scope{All: true})
	assetMust(t, err)
	if d := cmp.Diff(up, got); d != "" {
		t.Errorf("Asset after update (-want +got):\n%s", d)
	}
	assetWant(t, "update with a stale version", s.UpdateAsset(ctx, w.tenant, up, 1), ballast.ErrConflict)
	other := assetOf("Other", "IT-2")
	assetMust(t, s.InsertAsset(ctx, w.tenant, other))
	other.Tag, other.Version = "IT-1b", 2
	assetWant(t, "update to a taken tag", s.UpdateAsset(ctx, w.tenant, other, 1), ballast.ErrConflict)
	ghost := assetOf("Ghost", "")
	assetWant(t, "update of an unknown asset", s.UpdateAsset(ctx, w.tenant, ghost, 1), ballast.ErrNotFound)
}

func testAssetsIssuances(t *testing.T, _ ballast.Transactor, w assetWorld, s assets.Store) {
	ctx := context.Background()
	a := assetOf("Phone", "P-1")
	assetMust(t, s.InsertAsset(ctx, w.tenant, a))
	first := assets.Issuance{ID: ballast.NewID(), AssetID: a.ID, Holder: w.rep.ID, IssuedOn: hr.NewDate(2026, 1, 5),
		DueBack: hr.NewDate(2026, 2, 1), ConditionOut: assets.ConditionNew, CreatedAt: assetT0, UpdatedAt: assetT0}
	second := assets.Issuance{ID: ballast.NewID(), AssetID: a.ID, Holder: w.tech.ID, IssuedOn: hr.NewDate(2026, 3, 1),
		ConditionOut: assets.ConditionGood, CreatedAt: assetT0.Add(time.Hour), UpdatedAt: assetT0.Add(time.Hour)}
	assetMust(t, s.InsertIssuance(ctx, w.tenant, second))
	assetMust(t, s.InsertIssuance(ctx, w.tenant, first))
	first.ReturnedOn, first.ConditionIn, first.Note, first.UpdatedAt = hr.NewDate(2026, 2, 2), assets.ConditionGood, "屏幕有划痕", assetT0.Add(time.Minute)
	assetMust(t, s.UpdateIssuance(ctx, w.tenant, first))
	second.ReturnedOn, second.ConditionIn, second.CostNote = hr.NewDate(2026, 4, 1), assets.ConditionMissing, "¥3000, deducted"
	assetMust(t, s.UpdateIssuance(ctx, w.tenant, second))
	got, err := s.Issuances(ctx, w.tenant, a.ID, assets.Scope{All: true})
	assetMust(t, err)
	if d := cmp.Diff([]assets.Issuance{first, second}, got); d != "" {
		t.Errorf("Issuances (-want +got):\n%s", d)
	}
	// The scope limits the rows by holder.
	for _, tc := range []struct {
		name  string
		scope assets.Scope
		want  []assets.Issuance
	}{
		{"zero scope", assets.Scope{}, []assets.Issuance{}},
		{"holder", assets.Scope{Holder: w.tech.ID}, []assets.Issuance{second}},
		{"head of the holder's department tree", assets.Scope{Holder: w.head.ID, HeadOf: w.head.ID}, []assets.Issuance{first}},
	} {
		got, err := s.Issuances(ctx, w.tenant, a.ID, tc.scope)
		assetMust(t, err)
		if d := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("Issuances, %s (-want +got):\n%s", tc.name, d)
		}
	}
	ghost := assets.Issuance{ID: ballast.NewID(), AssetID: a.ID}
	assetWant(t, "UpdateIssuance of an unknown row", s.UpdateIssuance(ctx, w.tenant, ghost), ballast.ErrNotFound)
	bad := first
	bad.ID, bad.AssetID = ballast.NewID(), ballast.NewID()
	if err := s.InsertIssuance(ctx, w.tenant, bad); err == nil {
		t.Error("InsertIssuance of an unknown asset succeeded")
	}
}

func testAssetsScope(t *testing.T, _ ballast.Transactor, w assetWorld, s assets.Store) {
	ctx := context.Background()
	headLaptop := issued(assetOf("a head laptop", "S-1"), w.head.ID)
	repLaptop := issued(assetOf("b rep laptop", "S-2"), w.rep.ID)
	techLaptop := issued(assetOf("c tech laptop", "S-3"), w.tech.ID)
	spare := assetOf("d spare", "S-4")
	for _, a := range []assets.Asset{headLaptop, repLaptop, techLaptop, spare} {
		assetMust(t, s.InsertAsset(ctx, w.tenant, a))
	}
	for _, tc := range []struct {
		name  string
		scope assets.Scope
		want  []string
	}{
		{"zero scope sees nothing", assets.Scope{}, []string{}},
		{"holder sees own", assets.Scope{Holder: w.rep.ID}, []string{"b rep laptop"}},
		{"head sees own and the subtree", assets.Scope{Holder: w.head.ID, HeadOf: w.head.ID}, []string{"a head laptop", "b rep laptop"}},
		{"non-head sees only own", assets.Scope{Holder: w.tech.ID, HeadOf: w.tech.ID}, []string{"c tech laptop"}},
		{"all sees stock too", assets.Scope{All: true}, []string{"a head laptop", "b rep laptop", "c tech laptop", "d spare"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListAssets(ctx, w.tenant, assets.Query{Scope: tc.scope, Limit: 100})
			assetMust(t, err)
			if d := cmp.Diff(tc.want, assetIDs(got)); d != "" {
				t.Errorf("ListAssets (-want +got):\n%s", d)
			}
		})
	}
	_, err := s.Asset(ctx, w.tenant, techLaptop.ID, assets.Scope{Holder: w.head.ID, HeadOf: w.head.ID})
	assetWant(t, "head reads an asset outside the department", err, ballast.ErrNotFound)
	_, err = s.Asset(ctx, w.tenant, repLaptop.ID, assets.Scope{Holder: w.head.ID, HeadOf: w.head.ID})
	assetMust(t, err)
	_, err = s.Asset(ctx, w.tenant, spare.ID, assets.Scope{})
	assetWant(t, "zero scope reads an asset", err, ballast.ErrNotFound)
}

func testAssetsList(t *testing.T, _ ballast.Transactor, w assetWorld, s assets.Store) {
	ctx := context.Background()
	var all []assets.Asset
	for i := range 7 {
		a := assetOf(fmt.Sprintf("笔记本 %02d", i), fmt.Sprintf("NB-%02d", i))
		if i%2 == 0 {
			a = issued(a, w.rep.ID)
		}
		if i == 3 {
			a.Kind, a.Notes = assets.KindKeys, "三楼 100% 钥匙_备用"
		}
		all = append(all, a)
		assetMust(t, s.InsertAsset(ctx, w.tenant, a))
	}
	list := func(q assets.Query) []string {
		t.Helper()
		q.Scope = assets.Scope{All: true}
		got, err := s.ListAssets(ctx, w.tenant, q)
		assetMust(t, err)
		return assetIDs(got)
	}
	for _, tc := range []struct {
		name string
		q    assets.Query
		want []string
	}{
		{"by holder", assets.Query{Holder: w.rep.ID}, []string{"笔记本 00", "笔记本 02", "笔记本 04", "笔记本 06"}},
		{"by kind", assets.Query{Kind: assets.KindKeys}, []string{"笔记本 03"}},
		{"by status", assets.Query{Status: assets.StatusInStock}, []string{"笔记本 01", "笔记本 03", "笔记本 05"}},
		{"chinese substring in notes", assets.Query{Query: "楼"}, []string{"笔记本 03"}},
		{"wildcards are literal", assets.Query{Query: "100%"}, []string{"笔记本 03"}},
		{"underscore is literal", assets.Query{Query: "_备"}, []string{"笔记本 03"}},
		{"tag, any case", assets.Query{Query: "nb-05"}, []string{"笔记本 05"}},
		{"keyset page", assets.Query{AfterName: all[4].Name, AfterID: all[4].ID, Limit: 2}, []string{"笔记本 05", "笔记本 06"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, list(tc.q)); d != "" {
				t.Errorf("ListAssets (-want +got):\n%s", d)
			}
		})
	}
}

func testAssetsRollback(t *testing.T, tx ballast.Transactor, w assetWorld, s assets.Store) {
	ctx := context.Background()
	a := assetOf("Rolled back", "RB-1")
	boom := errors.New("boom")
	err := tx.InTx(ctx, func(ctx context.Context) error {
		assetMust(t, s.InsertAsset(ctx, w.tenant, a))
		assetMust(t, s.InsertIssuance(ctx, w.tenant, assets.Issuance{ID: ballast.NewID(), AssetID: a.ID, Holder: w.rep.ID,
			IssuedOn: hr.NewDate(2026, 1, 1), ConditionOut: assets.ConditionNew, CreatedAt: assetT0, UpdatedAt: assetT0}))
		return boom
	})
	assetWant(t, "InTx", err, boom)
	_, err = s.Asset(ctx, w.tenant, a.ID, assets.Scope{All: true})
	assetWant(t, "Asset after rollback", err, ballast.ErrNotFound)
	is, err := s.Issuances(ctx, w.tenant, a.ID, assets.Scope{All: true})
	assetMust(t, err)
	if len(is) != 0 {
		t.Errorf("Issuances after rollback = %v, want none", is)
	}
}

func testAssetsIsolation(t *testing.T, _ ballast.Transactor, a assetWorld, s assets.Store) {
	ctx := context.Background()
	b := seedAssetWorld(t, a.tx, a.hr, "B")
	laptop := issued(assetOf("Laptop", "SAME-TAG"), a.rep.ID)
	assetMust(t, s.InsertAsset(ctx, a.tenant, laptop))
	iss := assets.Issuance{ID: ballast.NewID(), AssetID: laptop.ID, Holder: a.rep.ID, IssuedOn: hr.NewDate(2026, 1, 1),
		ConditionOut: assets.ConditionNew, CreatedAt: assetT0, UpdatedAt: assetT0}
	assetMust(t, s.InsertIssuance(ctx, a.tenant, iss))
	B := b.tenant

	// The same tag is free in another tenant.
	assetMust(t, s.InsertAsset(ctx, B, assetOf("B laptop", "SAME-TAG")))
	// Reads.
	_, err := s.Asset(ctx, B, laptop.ID, assets.Scope{All: true})
	assetWant(t, "tenant B Asset of tenant A", err, ballast.ErrNotFound)
	got, err := s.AssetByTag(ctx, B, "SAME-TAG")
	assetMust(t, err)
	if got.ID == laptop.ID {
		t.Error("tenant B AssetByTag returned tenant A's asset")
	}
	list, err := s.ListAssets(ctx, B, assets.Query{Scope: assets.Scope{All: true}})
	assetMust(t, err)
	if d := cmp.Diff([]string{"B laptop"}, assetIDs(list)); d != "" {
		t.Errorf("tenant B ListAssets (-want +got):\n%s", d)
	}
	list, err = s.ListAssets(ctx, B, assets.Query{Scope: assets.Scope{Holder: a.rep.ID, HeadOf: a.head.ID}})
	assetMust(t, err)
	if len(list) != 0 {
		t.Errorf("tenant B ListAssets scoped to tenant A's people = %v, want none", assetIDs(list))
	}
	is, err := s.Issuances(ctx, B, laptop.ID, assets.Scope{All: true})
	assetMust(t, err)
	if len(is) != 0 {
		t.Errorf("tenant B Issuances of tenant A's asset = %v, want none", is)
	}
	// Writes.
	changed := laptop
	changed.Name, changed.Version = "stolen", 2
	assetWant(t, "tenant B UpdateAsset of tenant A", s.UpdateAsset(ctx, B, changed, 1), ballast.ErrNotFound)
	closed := iss
	closed.ReturnedOn, closed.ConditionIn = hr.NewDate(2026, 2, 1), assets.ConditionGood
	assetWant(t, "tenant B UpdateIssuance of tenant A", s.UpdateIssuance(ctx, B, closed), ballast.ErrNotFound)
	// Tenant B may not point at tenant A's employees or assets.
	if err := s.InsertAsset(ctx, B, issued(assetOf("B2", ""), a.rep.ID)); err == nil {
		t.Error("tenant B inserted an asset held by tenant A's employee")
	}
	if err := s.InsertIssuance(ctx, B, assets.Issuance{ID: ballast.NewID(), AssetID: laptop.ID, Holder: b.rep.ID,
		IssuedOn: hr.NewDate(2026, 1, 1), ConditionOut: assets.ConditionNew, CreatedAt: assetT0, UpdatedAt: assetT0}); err == nil {
		t.Error("tenant B inserted an issuance of tenant A's asset")
	}
	// Tenant A is unchanged.
	after, err := s.Asset(ctx, a.tenant, laptop.ID, assets.Scope{All: true})
	assetMust(t, err)
	if d := cmp.Diff(laptop, after); d != "" {
		t.Errorf("tenant A's asset changed (-want +got):\n%s", d)
	}
	his, err := s.Issuances(ctx, a.tenant, laptop.ID, assets.Scope{All: true})
	assetMust(t, err)
	if d := cmp.Diff([]assets.Issuance{iss}, his); d != "" {
		t.Errorf("tenant A's history changed (-want +got):\n%s", d)
	}
}
