package demo

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/offboarding"
)

// The people of 张磊's offboarding case besides himself.
const (
	offboardingHR    = "hejing"
	successorLead    = "zhaomin" // a demo login: signs in the UI
	successorTeam    = "lina"    // signs in the seed
	resignedDaysAgo  = 7
	zhaominCustomers = 8 // the first 8 of his customers go to 赵敏, the rest to 李娜
	zhaominHanded    = 3 // of hers, handed over and awaiting her signature
)

// offboards reports whether the seed runs 张磊's resignation as an
// offboarding case (it needs the customer book).
func (s *seeder) offboards() bool { return s.cfg.Offboarding != nil && s.cfg.Customers != nil }

// seedOffboarding opens 张磊's case as HR would have a week ago and runs it
// part of the way, each step acting as the person who does it:
//   - Resign (HR 何静): he becomes "resigning" with his last day three weeks
//     ahead, the on-resignation revocation stage applies, his customers are
//     snapshotted and listed, his assets listed for return;
//   - he assigns his customers (the first eight to 赵敏, the rest to 李娜)
//     and hands over 李娜's and three of 赵敏's, with notes;
//   - 李娜 signs for hers, which moves them to her; 赵敏's await her
//     signature (she can sign in the UI);
//   - then he alters one of the key accounts assigned to 赵敏 (the
//     integrity check of the handover report shows it, with who and when);
//   - he submits his work report, and his manager 王丽 returns it with
//     comments.
func (s *seeder) seedOffboarding(ctx context.Context) error {
	ob := s.cfg.Offboarding
	leaver, lead, team := s.emps[resigning], s.emps[successorLead], s.emps[successorTeam]
	hrCtx := s.as(ctx, s.emps[offboardingHR].ID)
	c, err := ob.Resign(hrCtx, offboarding.ResignParams{
		EmployeeID:  leaver.ID,
		Kind:        offboarding.ExitVoluntary,
		SubmittedOn: hr.DateOf(s.now.AddDate(0, 0, -resignedDaysAgo)),
		LastDay:     hr.DateOf(s.now.AddDate(0, 0, resigningInDays)),
		Reason:      "家人在成都，回成都发展；愿意配合完成全部交接。",
		Successors:  []string{lead.ID, team.ID},
		HRID:        s.emps[offboardingHR].ID,
	})
	if err != nil {
		return fmt.Errorf("demo: resignation of %s: %w", leaver.Name, err)
	}

	// The customer handover, as the leaver.
	me := s.as(ctx, leaver.ID)
	mine := s.customers[resigning]
	assign := make(map[string]string, len(mine))
	var handed []string
	for i, cu := range mine {
		switch {
		case i < zhaominCustomers:
			assign[cu.ID] = lead.ID
			if i >= 1 && i <= zhaominHanded { // not the first: he alters it below
				handed = append(handed, cu.ID)
			}
		default:
			assign[cu.ID] = team.ID
			handed = append(handed, cu.ID)
		}
	}
	if err := ob.AssignCustomers(me, c.ID, assign); err != nil {
		return fmt.Errorf("demo: assign customers: %w", err)
	}
	if err := ob.MarkHandedOver(me, c.ID, handed, "已当面介绍给接手人，合同与往来邮件在共享盘 /销售/张磊/客户资料。"); err != nil {
		return fmt.Errorf("demo: hand over customers: %w", err)
	}
	signer := s.as(ctx, team.ID)
	content, err := ob.PrepareHandover(signer, c.ID, team.ID)
	if err != nil {
		return fmt.Errorf("demo: prepare the handover to %s: %w", team.Name, err)
	}
	if _, err := ob.SignHandover(signer, offboarding.SignParams{CaseID: c.ID, Signer: team.ID, Hash: content.Hash,
		UserAgent: "ballast demo seed"}); err != nil {
		return fmt.Errorf("demo: %s signs: %w", team.Name, err)
	}
	if err := s.alterCustomer(ctx); err != nil {
		return err
	}

	// The work handover: one round, returned by his manager.
	steps, err := ob.Steps(hrCtx, c.ID)
	if err != nil {
		return fmt.Errorf("demo: steps of the case: %w", err)
	}
	var work offboarding.Step
	for _, st := range steps {
		if st.Kind == offboarding.KindWork {
			work = st
		}
	}
	if work.ID == "" {
		return nil // a template without a work step
	}
	report := offboarding.WorkReport{
		Projects: []offboarding.Project{
			{Name: "苏州恒通年度框架协议续签", Status: "条款已谈妥，待对方法务盖章", NextStep: "跟进盖章并归档原件", Stakeholders: []string{"恒通采购经理", "法务宋雅琴"}},
			{Name: "华南区冷链周转箱试单", Status: "样品已寄出", NextStep: "两周后回访试用反馈", Stakeholders: []string{"客户仓储主管"}},
		},
		PendingTasks: []string{"东莞宝利 11 月货款催收", "整理本季度报价单"},
		DocumentsAt:  "共享盘 /销售/大客户组/张磊；纸质合同在样品间文件柜第二层",
	}
	if _, err := ob.SubmitWorkReport(me, c.ID, report, work.Version); err != nil {
		return fmt.Errorf("demo: work report: %w", err)
	}
	if _, err := ob.ReviewWorkReport(s.as(ctx, s.emps[seniorSalesperson].ID), offboarding.ReviewParams{CaseID: c.ID,
		Comments: "请补充：每个项目的客户联系人电话，以及还没发出的报价清单。", Version: work.Version + 1}); err != nil {
		return fmt.Errorf("demo: review the work report: %w", err)
	}
	return nil
}
