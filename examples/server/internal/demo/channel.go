package demo

import (
	"context"
	"fmt"

	"github.com/ballast-hr/ballast/hr/channel"
)

// yearEndNotice is the announcement to everyone.
const yearEndNotice = `# 关于年终评审与春节放假安排的通知

各位同事：

2026 年即将结束，现将年终评审和春节放假安排通知如下。

## 一、年终评审

1. **自评**：请于 12 月 20 日前在系统中完成个人年度自评，并上传业绩材料。
2. **上级评分**：各部门负责人于 12 月 31 日前完成评分与评语。
3. **结果反馈**：评审结果将于次年 1 月中旬公布，如有异议可在系统内提出申诉。

独立成单等个人贡献指标占业绩考核的 40%，请销售同事如实填写。

## 二、春节放假

放假时间以国务院办公厅通知为准，值班安排由各部门另行报送行政人事部。

如有疑问，请直接在本通知下方提问，人事部会在两个工作日内答复。

行政人事部
`

// customerPolicy is the announcement to the sales department.
const customerPolicy = `# 客户资料管理规范（试行）

为保障公司客户资源安全，自即日起执行以下规范：

- 客户档案（联系人、成交记录、需求、跟进记录）是**公司资产**，须在系统中完整维护；
- 每位销售只能查看自己负责的客户，部门负责人可查看本部门客户；
- 任何人不得批量导出客户资料，确有需要须经人事部审批；
- 客户资料的每一次修改都会被记录（修改人、时间、内容）；系统每日自动备份。

离职交接时将核对客户资料的完整性。请大家理解并配合。
`

// seedChannel publishes two announcements with read receipts and a
// question thread, and leaves two anonymous feedback items, one answered
// by HR.
func (s *seeder) seedChannel(ctx context.Context) error {
	hrCtx := s.as(ctx, s.emps["hejing"].ID)
	everyone, err := s.publish(hrCtx, channel.AnnouncementParams{
		Title: "关于年终评审与春节放假安排的通知", Body: yearEndNotice,
		Audience: channel.Audience{Kind: channel.AudienceAll},
	})
	if err != nil {
		return err
	}
	sales, err := s.publish(hrCtx, channel.AnnouncementParams{
		Title: "客户资料管理规范（试行）", Body: customerPolicy,
		Audience: channel.Audience{Kind: channel.AudienceDepartments, DepartmentIDs: []string{s.depts["sales"].ID}},
	})
	if err != nil {
		return err
	}
	// Read receipts: most of the company read the year-end notice; of the
	// sales staff, only some read the customer policy (王丽 did not).
	for i, p := range peopleList() {
		if i%4 != 3 {
			if _, err := s.cfg.Channel.MarkRead(s.as(ctx, s.emps[p.key].ID), everyone.ID); err != nil {
				return fmt.Errorf("demo: %s reads %s: %w", p.name, everyone.Title, err)
			}
		}
	}
	for _, k := range []string{"liuqiang", "zhaomin", "lina", "hezhiming", "liangyu"} {
		if _, err := s.cfg.Channel.MarkRead(s.as(ctx, s.emps[k].ID), sales.ID); err != nil {
			return fmt.Errorf("demo: %s reads %s: %w", k, sales.Title, err)
		}
	}

	// 赵敏 asks under the year-end notice; HR answers and publishes the Q&A.
	q, err := s.cfg.Channel.Ask(s.as(ctx, s.emps["zhaomin"].ID), everyone.ID,
		"独立成单的比例是按金额算还是按单数算？和王老师一起跟进的客户算谁的？")
	if err != nil {
		return fmt.Errorf("demo: ask: %w", err)
	}
	if _, err := s.cfg.Channel.Reply(hrCtx, q.ID,
		"按成交金额计算。两人共同跟进的客户，以系统中的客户负责人为准；如有分歧，由部门负责人在评审时确认。"); err != nil {
		return fmt.Errorf("demo: answer: %w", err)
	}
	answered, err := s.cfg.Channel.Question(hrCtx, q.ID)
	if err != nil {
		return fmt.Errorf("demo: read question: %w", err)
	}
	if _, err := s.cfg.Channel.SetQuestionPublic(hrCtx, q.ID, true, answered.Version); err != nil {
		return fmt.Errorf("demo: publish question: %w", err)
	}
	// 李娜 asks about the customer policy; HR has not answered yet.
	if _, err := s.cfg.Channel.Ask(s.as(ctx, s.emps["lina"].ID), sales.ID,
		"我手上有几个客户是王老师转给我的，系统里负责人还是她，需要改过来吗？"); err != nil {
		return fmt.Errorf("demo: ask: %w", err)
	}
	return s.seedFeedback(ctx)
}

// publish writes and publishes one announcement.
func (s *seeder) publish(ctx context.Context, p channel.AnnouncementParams) (channel.Announcement, error) {
	a, err := s.cfg.Channel.CreateAnnouncement(ctx, p)
	if err != nil {
		return a, fmt.Errorf("demo: announcement %s: %w", p.Title, err)
	}
	if a, err = s.cfg.Channel.PublishAnnouncement(ctx, a.ID, a.Version); err != nil {
		return a, fmt.Errorf("demo: publish %s: %w", p.Title, err)
	}
	return a, nil
}

// seedFeedback leaves two anonymous items: one about the sales team that HR
// answered and is handling, one about the warehouse that HR resolved. The
// submitter is a system principal that names nobody (the service would drop
// any identity anyway).
func (s *seeder) seedFeedback(ctx context.Context) error {
	anon := s.as(ctx, "demo-anonymous")
	hrID := s.emps["hejing"].ID
	hrCtx := s.as(ctx, hrID)

	team, err := s.cfg.Channel.SubmitFeedback(anon, channel.FeedbackParams{Category: channel.CategoryManagement,
		Body: "大客户组的新人基本都是王老师介绍进来的，客户也都在她手里。有些问题大家不敢直接提，担心影响关系。希望公司能建立更透明的客户分配和晋升机制。"})
	if err != nil {
		return fmt.Errorf("demo: feedback: %w", err)
	}
	f, err := s.cfg.Channel.TagFeedback(hrCtx, team.Feedback.ID, []string{"销售部", "客户分配"}, team.Feedback.Version)
	if err != nil {
		return fmt.Errorf("demo: tag feedback: %w", err)
	}
	if _, err = s.cfg.Channel.AssignFeedback(hrCtx, f.ID, hrID, f.Version); err != nil {
		return fmt.Errorf("demo: assign feedback: %w", err)
	}
	if _, err := s.cfg.Channel.ReplyFeedback(hrCtx, f.ID,
		"感谢你的反馈。人事部正在和销售部一起梳理客户分配规则，下月会在全员会上公布；晋升评审将参考独立成单率等个人贡献指标。如有补充，可继续用跟进码留言。"); err != nil {
		return fmt.Errorf("demo: reply feedback: %w", err)
	}

	wh, err := s.cfg.Channel.SubmitFeedback(anon, channel.FeedbackParams{Category: channel.CategoryWorkplace,
		Body: "仓库下午温度很高，希望能加装几台工业风扇。"})
	if err != nil {
		return fmt.Errorf("demo: feedback: %w", err)
	}
	if _, err := s.cfg.Channel.ReplyFeedback(hrCtx, wh.Feedback.ID, "已采购四台工业风扇，本周内安装到位。"); err != nil {
		return fmt.Errorf("demo: reply feedback: %w", err)
	}
	cur, err := s.cfg.Channel.Feedback(hrCtx, wh.Feedback.ID)
	if err != nil {
		return fmt.Errorf("demo: read feedback: %w", err)
	}
	if _, err := s.cfg.Channel.ResolveFeedback(hrCtx, cur.ID, cur.Version); err != nil {
		return fmt.Errorf("demo: resolve feedback: %w", err)
	}
	return nil
}
