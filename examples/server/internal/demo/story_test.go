package demo_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/examples/server/internal/demo"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/hr/customers"
	"github.com/ballast-hr/ballast/hr/insight"
	"github.com/ballast-hr/ballast/internal/dbtest"
	"github.com/ballast-hr/ballast/storage"
)

// seeded is a seeded demo company and its logins by name.
type seeded struct {
	*stack
	logins map[string]demo.Login
}

func seedDemo(t *testing.T, db *storage.DB) *seeded {
	t.Helper()
	clock := fixedClock{seedTime}
	s := newStack(t, db, clock)
	logins, err := demo.Seed(context.Background(), s.config(clock))
	if err != nil {
		t.Fatalf("Seed() error = %v", err)
	}
	out := &seeded{stack: s, logins: map[string]demo.Login{}}
	for _, l := range logins {
		out.logins[l.Login] = l
	}
	return out
}

// as is the context of a demo login, as the API would build it.
func (s *seeded) as(login string) context.Context {
	return ballast.WithPrincipal(context.Background(), ballast.Principal{
		Tenant: demo.TenantID, Subject: s.logins[login].EmployeeID, Kind: ballast.KindUser})
}

func (s *seeded) allCustomers(t *testing.T, ctx context.Context) []customers.Customer {
	t.Helper()
	var out []customers.Customer
	f := customers.Filter{Limit: 500, Status: customers.StatusAll}
	for {
		page, err := s.customers.List(ctx, f)
		if err != nil {
			t.Fatalf("List customers: %v", err)
		}
		out = append(out, page.Customers...)
		if page.Next == "" {
			return out
		}
		f.Cursor = page.Next
	}
}

func TestSeed_CustomerBookIsVisibleByRole(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		s := seedDemo(t, db)
		all := s.allCustomers(t, s.as("hr"))
		if len(all) != 120 {
			t.Fatalf("HR sees %d customers, want 120", len(all))
		}
		owned := map[string]int{}
		var keyValue, wangKeyValue int64
		for _, c := range all {
			owned[c.OwnerID]++
			if c.Tier == customers.TierKey {
				keyValue += c.AnnualValueCents
				if c.OwnerID == s.logins["wangli"].EmployeeID {
					wangKeyValue += c.AnnualValueCents
				}
			}
		}
		if share := float64(wangKeyValue) / float64(keyValue); share < 0.7 {
			t.Errorf("王丽 owns %.0f%% of the key-account value, want most", share*100)
		}
		// Owner-only visibility: each salesperson sees exactly their own;
		// the sales head sees the whole department's.
		for _, tc := range []struct {
			login string
			want  int
		}{
			{"wangli", owned[s.logins["wangli"].EmployeeID]},
			{"zhaomin", owned[s.logins["zhaomin"].EmployeeID]},
			{"liuqiang", 120},
			{"admin", 120},
		} {
			got := s.allCustomers(t, s.as(tc.login))
			if len(got) != tc.want || tc.want == 0 {
				t.Errorf("%s sees %d customers, want %d (non-zero)", tc.login, len(got), tc.want)
			}
			if tc.login == "wangli" || tc.login == "zhaomin" {
				for _, c := range got {
					if c.OwnerID != s.logins[tc.login].EmployeeID {
						t.Errorf("%s sees %s owned by %s", tc.login, c.Name, c.OwnerID)
					}
				}
			}
		}
		if owned[s.logins["wangli"].EmployeeID] <= owned[s.logins["zhaomin"].EmployeeID] {
			t.Errorf("王丽 owns %d customers, not the most", owned[s.logins["wangli"].EmployeeID])
		}

		// The first snapshot, and what 张磊 altered since.
		hrCtx := s.as("hr")
		snaps, err := s.customers.Snapshots(hrCtx, customers.SnapshotFilter{Tenant: true})
		if err != nil || len(snaps.Snapshots) != 1 || snaps.Snapshots[0].Customers != 120 {
			t.Fatalf("snapshots = %+v, %v; want one of 120 customers", snaps, err)
		}
		d, err := s.customers.DiffWithCurrent(hrCtx, snaps.Snapshots[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		// One customer altered; the seven 李娜 signed for only changed owner.
		if len(d.Added)+len(d.Archived)+len(d.Removed) != 0 {
			t.Fatalf("diff with current = %+v, want only changed customers", d)
		}
		var altered [][]string
		moved := 0
		for _, ch := range d.Changed {
			var fields []string
			for _, c := range ch.Changes {
				fields = append(fields, c.Path)
			}
			if len(fields) == 1 && fields[0] == "OwnerID" {
				moved++
				continue
			}
			altered = append(altered, fields)
		}
		if len(altered) != 1 || len(altered[0]) < 2 || moved != 7 {
			t.Errorf("altered customers %v (want one: the contact phone and the needs), %d moved (want 7)", altered, moved)
		}
	})
}

func TestSeed_RiskViewFlagsTheSalesClusterAndWangLi(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		s := seedDemo(t, db)
		a, err := s.insight.Analyze(s.as("hr"), insight.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wang := s.logins["wangli"].EmployeeID
		var clusters []string
		for _, d := range a.Clusters() {
			clusters = append(clusters, d.Department.Name)
			if d.TopReferrer == nil || d.TopReferrer.ID != wang || d.TopReferrer.Share < 0.5 {
				t.Errorf("cluster %s: top referrer %+v, want 王丽 with at least half", d.Department.Name, d.TopReferrer)
			}
		}
		if diff := cmp.Diff([]string{"大客户组"}, clusters); diff != "" {
			t.Errorf("clusters (-want +got):\n%s", diff)
		}
		var reasons []insight.ReasonKind
		for _, d := range a.Departments {
			for _, p := range d.People {
				if p.ID == wang && d.Department.Name == "大客户组" {
					for _, r := range p.Reasons {
						reasons = append(reasons, r.Kind)
					}
				}
			}
		}
		for _, want := range []insight.ReasonKind{insight.ReasonReferredMembers, insight.ReasonKeyAccountValue} {
			if !contains(reasons, want) {
				t.Errorf("王丽's reasons %v lack %s", reasons, want)
			}
		}
		// With the whole sales department as one team, it is a cluster too.
		sub, err := s.insight.Analyze(s.as("hr"), insight.Options{IncludeSubdepartments: true})
		if err != nil {
			t.Fatal(err)
		}
		var subClusters []string
		for _, d := range sub.Clusters() {
			subClusters = append(subClusters, d.Department.Name)
		}
		if !contains(subClusters, "销售部") {
			t.Errorf("clusters with subdepartments = %v, want 销售部 among them", subClusters)
		}
	})
}

func TestSeed_AssetsAndChannelTellTheStory(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Parallel()
		s := seedDemo(t, db)
		hrCtx := s.as("hr")

		// 张磊, on notice, holds several kinds of assets.
		sys := ballast.WithPrincipal(context.Background(), ballast.Principal{Tenant: demo.TenantID, Subject: "t", Kind: ballast.KindSystem})
		pg, err := s.hr.ListEmployees(sys, hr.EmployeeFilter{Status: hr.StatusResigning})
		if err != nil || len(pg.Employees) != 1 {
			t.Fatalf("resigning = %v, %v", pg.Employees, err)
		}
		held, err := s.assets.HeldBy(hrCtx, pg.Employees[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]bool{}
		for _, a := range held {
			kinds[string(a.Kind)] = true
		}
		if len(held) < 4 || len(kinds) < 4 {
			t.Errorf("张磊 holds %d assets of %d kinds, want several", len(held), len(kinds))
		}

		// Announcements with read receipts and questions.
		anns, err := s.channel.Announcements(hrCtx, channel.AnnouncementFilter{})
		if err != nil || len(anns.Announcements) != 2 {
			t.Fatalf("announcements = %+v, %v; want 2", anns, err)
		}
		var questions int
		for _, a := range anns.Announcements {
			rep, err := s.channel.Receipts(hrCtx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Read == 0 || rep.Unread == 0 {
				t.Errorf("%s: %d read, %d unread; want some of each", a.Title, rep.Read, rep.Unread)
			}
			qs, err := s.channel.Questions(hrCtx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			questions += len(qs)
		}
		if questions != 2 {
			t.Errorf("questions = %d, want 2", questions)
		}

		// Anonymous feedback, answered by HR.
		fb, err := s.channel.ListFeedback(hrCtx, channel.FeedbackFilter{})
		if err != nil || len(fb.Items) != 2 {
			t.Fatalf("feedback = %+v, %v; want 2 items", fb, err)
		}
		for _, it := range fb.Items {
			f, err := s.channel.Feedback(hrCtx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Messages) == 0 || !f.Messages[0].FromHR {
				t.Errorf("feedback %s has no HR reply: %+v", f.ID, f.Messages)
			}
		}
	})
}

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
