package channel_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/channel"
	"github.com/ballast-hr/ballast/internal/dbtest"
)

// BenchmarkPublishAnnouncement publishes an announcement to every employee
// of a 1,000-employee tenant: one INSERT … SELECT of the recipients and
// 1,000 outbox messages, in one transaction.
func BenchmarkPublishAnnouncement(b *testing.B) {
	for _, backend := range dbtest.Backends() {
		b.Run(backend+"/1000-recipients", func(b *testing.B) {
			e := newEnv(b, dbtest.Open(b, backend))
			d := e.dept(b, "Sales", "")
			es := make([]hr.Employee, 1000)
			for i := range es {
				es[i] = hr.Employee{ID: ballast.NewID(), Number: fmt.Sprintf("E%04d", i), Name: fmt.Sprintf("Employee %04d", i),
					DepartmentID: d.ID, HireDate: hr.NewDate(2024, 1, 2), HireChannel: hr.ChannelCampus,
					Status: hr.StatusActive, CreatedAt: t0, UpdatedAt: t0, Version: 1}
			}
			if err := e.db.HR().InsertEmployees(context.Background(), e.tenant, es); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				a, err := e.svc.CreateAnnouncement(e.hrCtx, channel.AnnouncementParams{Title: "Notice", Body: "Body",
					Audience: channel.Audience{Kind: channel.AudienceAll}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.svc.PublishAnnouncement(e.hrCtx, a.ID, a.Version); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
