package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/assessment"
	"github.com/ballast-hr/ballast/assessment/appeal"
	"github.com/ballast-hr/ballast/assessment/multirater"
	"github.com/ballast-hr/ballast/hr"
)

// Assessment is what Seed needs from the assessment core
// (*assessment.Service implements it).
type Assessment interface {
	CreateIndicator(ctx context.Context, p assessment.IndicatorParams) (assessment.Indicator, error)
	CreateTemplate(ctx context.Context, p assessment.TemplateParams) (assessment.Template, error)
	PublishTemplate(ctx context.Context, id string, version int) (assessment.Template, error)
	SetGradeScale(ctx context.Context, grades []assessment.Grade, version int64) (assessment.GradeScale, error)
	CreateCycle(ctx context.Context, p assessment.CycleParams) (assessment.Cycle, error)
	OpenCycle(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	StartManagerReview(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	StartCalibration(ctx context.Context, id string, version int64) (assessment.Cycle, error)
	Finalise(ctx context.Context, cycleID string, version int64) (assessment.FinaliseReport, error)
	Cycle(ctx context.Context, id string) (assessment.Cycle, error)
	UpdateDeadlines(ctx context.Context, id string, d assessment.Deadlines, version int64) (assessment.Cycle, error)
	Participants(ctx context.Context, q assessment.ParticipantQuery) ([]assessment.Participant, error)
	SaveSelfEvaluation(ctx context.Context, participantID string, in []assessment.EntryInput) (assessment.Review, error)
	SubmitSelfEvaluation(ctx context.Context, participantID string) (assessment.Participant, error)
	SaveManagerReview(ctx context.Context, participantID string, in []assessment.EntryInput) (assessment.Review, error)
	SubmitManagerReview(ctx context.Context, participantID string) (assessment.Participant, error)
	RecordActuals(ctx context.Context, cycleID string, actuals []assessment.Actual) (assessment.ImportReport, error)
	Calibrate(ctx context.Context, participantID string, score float64, reason string) (assessment.Participant, error)
}

// Multirater is what Seed needs from the 360 rounds (*multirater.Service
// implements it).
type Multirater interface {
	CreateRound(ctx context.Context, p multirater.RoundParams) (multirater.Round, error)
	Nominate(ctx context.Context, p multirater.NominateParams) ([]multirater.Nomination, error)
	DecideNomination(ctx context.Context, id string, approve bool, reason string, version int64) (multirater.Nomination, error)
	OpenRound(ctx context.Context, id string, version int64) (multirater.Round, error)
	MyAssignments(ctx context.Context, roundID string) ([]multirater.Assignment, error)
	SaveDraft(ctx context.Context, assignmentID string, ans multirater.Answers) (multirater.Assignment, error)
	Submit(ctx context.Context, assignmentID string, ans multirater.Answers) (multirater.Assignment, error)
}

// Appeals is what Seed needs from appeals (*appeal.Service implements it).
type Appeals interface {
	File(ctx context.Context, p appeal.FileParams) (appeal.Appeal, error)
	Reply(ctx context.Context, appealID, body string) (appeal.Message, error)
}

// AppealKind is the appeal subject kind of an assessment result, as the
// server registers it.
const AppealKind = "assessment.result"

// The assessment part of the story.
const (
	assessmentHR   = "hejing"
	appellant      = "zhaomin"                     // files the open appeal on her mid-year result
	appealedItem   = "orders_closed_independently" // …on this indicator
	appealDays     = 7                             // the mid-year appeal window ends a week after the seed
	calibrated     = "huangpeng"                   // HR calibrated his mid-year score
	yearEndSelfDue = 10                            // days from now to the year-end self-evaluation deadline
)

// indicatorSpec is one indicator of the demo library.
type indicatorSpec = assessment.IndicatorParams

// ratingScale is the five-point anchored scale of the qualitative
// indicators.
func ratingScale() *assessment.RatingScale {
	return &assessment.RatingScale{Min: 1, Max: 5, Anchors: []assessment.Anchor{
		{Value: 1, Label: "远低于期望", Description: "多数工作需要他人返工或兜底"},
		{Value: 2, Label: "低于期望", Description: "部分目标未达成，需要较多指导"},
		{Value: 3, Label: "符合期望", Description: "独立完成本职工作"},
		{Value: 4, Label: "超出期望", Description: "主动改进并带动周围的人"},
		{Value: 5, Label: "卓越", Description: "成为团队与跨部门的标杆"},
	}}
}

// indicatorList is the demo company's indicator library: the examples of
// the source article, plus strategic thinking for the purchasing override.
func indicatorList() []indicatorSpec {
	ratio := assessment.Mapping{Kind: assessment.MappingRatio, Cap: 100}
	return []indicatorSpec{
		{Code: "team_revenue_growth", Name: "团队营收增长率", Kind: assessment.Quantitative, Unit: "%", Target: 15, Mapping: ratio,
			Description: "本期团队营收相对上年同期的增长；达成目标为满分。"},
		{Code: "project_on_time_rate", Name: "项目按期完成率", Kind: assessment.Quantitative, Unit: "%", Target: 95,
			Mapping: assessment.Mapping{Kind: assessment.MappingBands, Bands: []assessment.Band{
				{Threshold: 98, Score: 100}, {Threshold: 95, Score: 90}, {Threshold: 90, Score: 80},
				{Threshold: 85, Score: 70}, {Threshold: 80, Score: 60}, {Threshold: 0, Score: 40}}},
			Description: "按期交付的项目（订单）占比，按档位计分。"},
		{Code: "subordinate_rating_improvement", Name: "下属评分提升", Kind: assessment.Quantitative, Unit: "分", Target: 5, Mapping: ratio,
			Description: "直接下属平均考核得分相对上期的提升。"},
		{Code: "leadership_360", Name: "360 领导力得分", Kind: assessment.Qualitative, Dimension: "LEAD",
			Description: "360 环评中“领导力”维度的他评得分（匿名组达到人数门槛才计入）。"},
		{Code: "proposals_adopted", Name: "合理化建议采纳数", Kind: assessment.Quantitative, Unit: "条", Target: 4, Mapping: ratio,
			Description: "本期被公司采纳的流程、产品或客户服务改进建议。"},
		{Code: "cross_dept_satisfaction", Name: "跨部门协作满意度", Kind: assessment.Qualitative, Scale: ratingScale(),
			Description: "协作部门（采购、仓储、财务）对配合情况的评价。"},
		{Code: "orders_closed_independently", Name: "独立成单数", Kind: assessment.Quantitative, Unit: "单", Target: 40, Mapping: ratio,
			Description: "核心销售本人独立谈成并签约的订单数（以合同日期为准）。"},
		{Code: "team_independence_rate", Name: "团队独立成单率", Kind: assessment.Quantitative, Unit: "%", Target: 60, Mapping: ratio,
			Description: "带队骨干：团队成员中能独立成单的人数占比，以及相对上期的变化。"},
		{Code: "mentee_improvement", Name: "带教对象成长", Kind: assessment.Quantitative, Unit: "分", Target: 10, Mapping: ratio,
			Description: "导师：所带新人本期考核得分相对上期的提升。"},
		{Code: "strategic_thinking", Name: "战略思维", Kind: assessment.Qualitative, Scale: ratingScale(),
			Description: "能从市场与供应链全局出发提出方案，而不止于完成手头任务。"},
	}
}

// The demo grade scale, the one the imported history uses.
func gradeList() []assessment.Grade {
	return []assessment.Grade{{Name: "S", Min: 90}, {Name: "A", Min: 80}, {Name: "B", Min: 70}, {Name: "C", Min: 60}, {Name: "D", Min: 0}}
}

// assessor carries the assessment seed's state.
type assessor struct {
	*seeder
	ind     map[string]assessment.Indicator // by code
	general assessment.Template
}

// salesDepts are the departments of the sales organisation, which the
// cycles review.
func (s *seeder) salesDepts() []string {
	return []string{s.depts["sales"].ID, s.depts["ka"].ID, s.depts["channel"].ID}
}

// seedAssessment seeds the library, templates and grade scale, and the
// 2026 mid-year cycle of the sales organisation run to the end before
// 张磊 resigned: self-evaluations, actuals, the managers' reviews, one
// calibration, finalisation (ratings written into performance history)
// and 赵敏's open appeal on one indicator, with her manager's reply. The
// year-end cycle follows after the offboarding (seedYearEnd).
func (s *seeder) seedAssessment(ctx context.Context) (*assessor, error) {
	a := &assessor{seeder: s, ind: map[string]assessment.Indicator{}}
	hrCtx := s.as(ctx, s.emps[assessmentHR].ID)
	svc := s.cfg.Assessment
	for _, p := range indicatorList() {
		ind, err := svc.CreateIndicator(hrCtx, p)
		if err != nil {
			return nil, fmt.Errorf("demo: indicator %s: %w", p.Code, err)
		}
		a.ind[p.Code] = ind
	}
	if _, err := svc.SetGradeScale(hrCtx, gradeList(), 0); err != nil {
		return nil, fmt.Errorf("demo: grade scale: %w", err)
	}
	var err error
	if a.general, err = a.template(hrCtx, a.generalTemplate()); err != nil {
		return nil, err
	}
	if _, err = a.template(hrCtx, a.leadTemplate()); err != nil {
		return nil, err
	}
	// 王丽 leads 大客户组: she scores her team's reviews without seeing the
	// rest of the department's customers.
	if err := s.cfg.Access.GrantPermission(ctx, s.emps[seniorSalesperson].ID, assessment.PermScoreDepartment, "大客户组组长，负责组员绩效评分"); err != nil {
		return nil, fmt.Errorf("demo: scoring permission: %w", err)
	}
	if err := a.midYear(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *assessor) item(code string, weight float64) assessment.Item {
	return assessment.Item{IndicatorID: a.ind[code].ID, Weight: weight}
}

// generalTemplate weights results 60 / competencies 40, the sales
// organisation 70 / 30 and purchasing (the company has no R&D; its buyers
// are judged on strategy as much as on results) 50 / 50.
func (a *assessor) generalTemplate() assessment.TemplateParams {
	sales := map[string]float64{"results": 70, "competencies": 30}
	p := assessment.TemplateParams{
		Name:        "2026 年度绩效考核（通用）",
		Description: "业绩结果 60% / 能力与协作 40%；销售体系 70/30，采购部 50/50（战略思维）。",
		Categories: []assessment.Category{
			{Key: "results", Name: "业绩结果", Weight: 60, Items: []assessment.Item{
				a.item("team_revenue_growth", 30), a.item("project_on_time_rate", 30),
				a.item("orders_closed_independently", 20), a.item("proposals_adopted", 20)}},
			{Key: "competencies", Name: "能力与协作", Weight: 40, Items: []assessment.Item{
				a.item("leadership_360", 30), a.item("cross_dept_satisfaction", 40), a.item("strategic_thinking", 30)}},
		},
	}
	for _, d := range a.salesDepts() {
		p.Overrides = append(p.Overrides, assessment.Override{DepartmentID: d, Weights: sales})
	}
	p.Overrides = append(p.Overrides, assessment.Override{DepartmentID: a.depts["purch"].ID,
		Weights: map[string]float64{"results": 50, "competencies": 50}})
	return p
}

// leadTemplate is for seniors who lead a team and mentor newcomers.
func (a *assessor) leadTemplate() assessment.TemplateParams {
	return assessment.TemplateParams{
		Name:        "带队骨干考核",
		Description: "带队骨干与导师：团队独立成单、下属成长与带教。",
		Categories: []assessment.Category{
			{Key: "team", Name: "团队成长", Weight: 60, Items: []assessment.Item{
				a.item("team_independence_rate", 50), a.item("subordinate_rating_improvement", 25), a.item("mentee_improvement", 25)}},
			{Key: "leadership", Name: "领导力", Weight: 40, Items: []assessment.Item{
				a.item("leadership_360", 60), a.item("cross_dept_satisfaction", 40)}},
		},
	}
}

// template creates and publishes a template.
func (a *assessor) template(ctx context.Context, p assessment.TemplateParams) (assessment.Template, error) {
	t, err := a.cfg.Assessment.CreateTemplate(ctx, p)
	if err != nil {
		return t, fmt.Errorf("demo: template %s: %w", p.Name, err)
	}
	if t, err = a.cfg.Assessment.PublishTemplate(ctx, t.ID, t.Version); err != nil {
		return t, fmt.Errorf("demo: publish template %s: %w", p.Name, err)
	}
	return t, nil
}

// level is the mid-year standing of an employee (0–100): the senior
// salesperson on top, the resigning employee sliding, the rest spread.
func level(key string, keyPerson bool, r *rand.Rand) float64 {
	switch key {
	case seniorSalesperson:
		return 95
	case resigning:
		return 64
	}
	if keyPerson {
		return 86 + r.Float64()*5
	}
	return 70 + r.Float64()*17
}

// clamp keeps f within lo and hi.
func clamp(f, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, f)) }

// half rounds to half points.
func half(f float64) float64 { return math.Round(f*2) / 2 }

// one rounds to one decimal.
func one(f float64) float64 { return math.Round(f*10) / 10 }

func ptr(f float64) *float64 { return &f }

// draw is one person's numbers for one cycle.
type draw struct {
	level float64
	r     *rand.Rand
}

// score is an item's standing around the person's level.
func (d draw) score() float64 { return clamp(d.level+d.r.NormFloat64()*4, 40, 100) }

// rating is a 1–5 rating for a standing.
func rating(score float64) float64 { return clamp(half(1+4*score/100), 1, 5) }

// actual is a quantitative actual that scores about score.
func actual(ind assessment.Indicator, score float64) float64 {
	if ind.Mapping.Kind == assessment.MappingBands {
		return one(clamp(60+0.4*score, 0, 100))
	}
	return one(ind.Target * score / 100)
}

// comment is the manager's comment for a standing.
func comment(score float64) string {
	switch {
	case score >= 90:
		return "表现突出，是团队的标杆。"
	case score >= 80:
		return "稳定达成目标，协作积极。"
	case score >= 70:
		return "基本达成目标，仍有提升空间。"
	default:
		return "与目标差距较大，需要制定改进计划。"
	}
}

// selfEntries are an employee's self-evaluation of every indicator of the
// general template, a little kinder than the manager's view.
func (a *assessor) selfEntries(d draw, key string) []assessment.EntryInput {
	var out []assessment.EntryInput
	for _, c := range a.general.Categories {
		for _, it := range c.Items {
			ind := a.ind[a.codeOf(it.IndicatorID)]
			sc := clamp(d.score()+3, 0, 100)
			e := assessment.EntryInput{IndicatorID: ind.ID, Comment: "本期目标基本按计划推进。"}
			if ind.Kind == assessment.Qualitative && ind.Dimension == "" {
				e.Score = ptr(rating(sc))
			} else {
				e.Score = ptr(math.Round(sc))
			}
			if key == seniorSalesperson && ind.Code == "team_revenue_growth" {
				e.Comment = "大客户组上半年营收同比增长 17%，新签 3 家重点客户。"
				e.Evidence = []assessment.Evidence{{Kind: assessment.EvidenceLink, URL: "https://crm.dingsheng.example/reports/ka-2026h1", Name: "大客户组 2026 上半年营收报表"}}
			}
			out = append(out, e)
		}
	}
	return out
}

// managerEntries are the manager's scores and comments of the
// qualitative indicators (the quantitative ones come from the actuals).
func (a *assessor) managerEntries(d draw) []assessment.EntryInput {
	var out []assessment.EntryInput
	for _, c := range a.general.Categories {
		for _, it := range c.Items {
			ind := a.ind[a.codeOf(it.IndicatorID)]
			if ind.Kind == assessment.Quantitative {
				continue
			}
			sc := d.score()
			e := assessment.EntryInput{IndicatorID: ind.ID, Comment: comment(sc)}
			if ind.Dimension != "" {
				e.Score = ptr(math.Round(sc))
			} else {
				e.Score = ptr(rating(sc))
			}
			out = append(out, e)
		}
	}
	return out
}

// actuals are the quantitative actuals of a participant.
func (a *assessor) actuals(d draw, participantID string) []assessment.Actual {
	var out []assessment.Actual
	for _, c := range a.general.Categories {
		for _, it := range c.Items {
			ind := a.ind[a.codeOf(it.IndicatorID)]
			if ind.Kind != assessment.Quantitative {
				continue
			}
			out = append(out, assessment.Actual{ParticipantID: participantID, IndicatorID: ind.ID, Value: actual(ind, d.score())})
		}
	}
	return out
}

// codeOf returns the code of the indicator id.
func (a *assessor) codeOf(id string) string {
	for code, ind := range a.ind {
		if ind.ID == id {
			return code
		}
	}
	return ""
}

// keyOf returns the roster key of an employee ID.
func (s *seeder) keyOf(id string) string {
	for k, e := range s.emps {
		if e.ID == id {
			return k
		}
	}
	return ""
}

// participants lists a cycle's participants, ordered by ID.
func (a *assessor) participants(ctx context.Context, cycleID string) ([]assessment.Participant, error) {
	ps, err := a.cfg.Assessment.Participants(ctx, assessment.ParticipantQuery{CycleID: cycleID})
	if err != nil {
		return nil, fmt.Errorf("demo: participants: %w", err)
	}
	return ps, nil
}

// date is the calendar day n days from now in the tenant's zone.
func (s *seeder) date(n int) hr.Date { return hr.DateOf(s.now.AddDate(0, 0, n)) }

// midYear runs the mid-year cycle of the last completed half-year. The
// services check deadlines against the clock, so the cycle runs with
// every phase due tomorrow (a seed that crosses the tenant's midnight
// must not find them passed) and gets its historical deadlines once
// finalised (the appeal window stays open for another week).
func (a *assessor) midYear(ctx context.Context) error {
	svc := a.cfg.Assessment
	hrCtx := a.as(ctx, a.emps[assessmentHR].ID)
	pd := a.periods(1)[0]
	tomorrow := a.date(1)
	c, err := svc.CreateCycle(hrCtx, assessment.CycleParams{
		Name: fmt.Sprintf("%d 年中绩效考核", pd.start.Year()), Kind: assessment.MidYear,
		Period:     assessment.Period{Label: pd.label, Start: hr.DateOf(pd.start), End: hr.DateOf(pd.end)},
		Selection:  assessment.Selection{DepartmentIDs: a.salesDepts()},
		TemplateID: a.general.ID,
		Deadlines:  assessment.Deadlines{SelfEvaluation: tomorrow, ManagerReview: tomorrow, Calibration: tomorrow, AppealUntil: a.date(appealDays)},
	})
	if err != nil {
		return fmt.Errorf("demo: mid-year cycle: %w", err)
	}
	if c, err = svc.OpenCycle(hrCtx, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: open mid-year cycle: %w", err)
	}
	ps, err := a.participants(hrCtx, c.ID)
	if err != nil {
		return err
	}
	draws := map[string]draw{}
	for _, p := range ps {
		key := a.keyOf(p.EmployeeID)
		r := rng("assessment/mid/" + key)
		d := draw{level: level(key, a.emps[key].KeyPerson, r), r: r}
		draws[p.ID] = d
		me := a.as(ctx, p.EmployeeID)
		if _, err := svc.SaveSelfEvaluation(me, p.ID, a.selfEntries(d, key)); err != nil {
			return fmt.Errorf("demo: self-evaluation of %s: %w", p.EmployeeName, err)
		}
		if _, err := svc.SubmitSelfEvaluation(me, p.ID); err != nil {
			return fmt.Errorf("demo: submit self-evaluation of %s: %w", p.EmployeeName, err)
		}
	}
	if c, err = svc.StartManagerReview(hrCtx, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: mid-year manager review: %w", err)
	}
	var acts []assessment.Actual
	for _, p := range ps {
		acts = append(acts, a.actuals(draws[p.ID], p.ID)...)
	}
	if _, err := svc.RecordActuals(hrCtx, c.ID, acts); err != nil {
		return fmt.Errorf("demo: mid-year actuals: %w", err)
	}
	for _, p := range ps {
		mgr := a.as(ctx, p.ManagerID)
		if p.ManagerID == "" {
			mgr = hrCtx
		}
		if _, err := svc.SaveManagerReview(mgr, p.ID, a.managerEntries(draws[p.ID])); err != nil {
			return fmt.Errorf("demo: manager review of %s: %w", p.EmployeeName, err)
		}
		if _, err := svc.SubmitManagerReview(mgr, p.ID); err != nil {
			return fmt.Errorf("demo: submit manager review of %s: %w", p.EmployeeName, err)
		}
	}
	if c, err = svc.StartCalibration(hrCtx, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: mid-year calibration: %w", err)
	}
	for _, p := range ps {
		if p.EmployeeID == a.emps[calibrated].ID {
			if _, err := svc.Calibrate(hrCtx, p.ID, 82, "6 月新签两家重点客户，回款 7 月初到账，经销售部与财务核实后上调。"); err != nil {
				return fmt.Errorf("demo: calibrate: %w", err)
			}
		}
	}
	if _, err := svc.Finalise(hrCtx, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: finalise mid-year cycle: %w", err)
	}
	if c, err = svc.Cycle(hrCtx, c.ID); err != nil {
		return fmt.Errorf("demo: mid-year cycle: %w", err)
	}
	// The deadlines the cycle really had, three weeks into the next half.
	due := func(days int) hr.Date { return hr.DateOf(pd.end.AddDate(0, 0, days)) }
	if _, err := svc.UpdateDeadlines(hrCtx, c.ID, assessment.Deadlines{SelfEvaluation: due(10), ManagerReview: due(20),
		Calibration: due(31), AppealUntil: a.date(appealDays)}, c.Version); err != nil {
		return fmt.Errorf("demo: mid-year deadlines: %w", err)
	}
	return a.appeal(ctx, ps)
}

// appeal files 赵敏's appeal on one indicator of her mid-year result, and
// her manager 王丽 backs it in the thread; HR has not decided yet.
func (a *assessor) appeal(ctx context.Context, ps []assessment.Participant) error {
	if a.cfg.Appeals == nil {
		return nil
	}
	i := slices.IndexFunc(ps, func(p assessment.Participant) bool { return p.EmployeeID == a.emps[appellant].ID })
	if i < 0 {
		return fmt.Errorf("demo: %s is not in the mid-year cycle", appellant)
	}
	ap, err := a.cfg.Appeals.File(a.as(ctx, a.emps[appellant].ID), appeal.FileParams{Kind: AppealKind, SubjectID: ps[i].ID, Item: appealedItem,
		Reason: "6 月底独立签下的两单（宁波港贸、杭州恒信）因系统录入延迟计入了 7 月，申请按合同日期重新核算独立成单数。"})
	if err != nil {
		return fmt.Errorf("demo: appeal of %s: %w", appellant, err)
	}
	// As a user: a system principal would answer as HR.
	mgr := ballast.WithPrincipal(ctx, ballast.Principal{Tenant: TenantID, Subject: a.emps[seniorSalesperson].ID, Kind: ballast.KindUser})
	if _, err := a.cfg.Appeals.Reply(mgr, ap.ID,
		"情况属实：两份合同的签署日期为 6 月 27 日和 6 月 29 日，附件见共享盘 /销售/合同/2026-06。"); err != nil {
		return fmt.Errorf("demo: reply to the appeal: %w", err)
	}
	return nil
}

// seedYearEnd opens the year-end cycle of the sales organisation (张磊,
// resigning, is no longer in it) with its self-evaluations partly done,
// and a 360 round of the team leads collecting answers, so that every
// demo login has something to do: 赵敏 a self-evaluation draft to submit
// and a 360 review to write, 王丽 her self-evaluation and 360 reviews,
// 刘强 his self-evaluation and a nomination to approve, HR the progress,
// the round and 赵敏's appeal.
func (a *assessor) seedYearEnd(ctx context.Context) error {
	svc := a.cfg.Assessment
	hrCtx := a.as(ctx, a.emps[assessmentHR].ID)
	year := a.now.Year()
	c, err := svc.CreateCycle(hrCtx, assessment.CycleParams{
		Name: fmt.Sprintf("%d 年终绩效考核", year), Kind: assessment.YearEnd,
		Period: assessment.Period{Label: fmt.Sprint(year), Start: hr.NewDate(year, time.January, 1),
			End: hr.NewDate(year, time.December, 31)},
		Selection:  assessment.Selection{DepartmentIDs: a.salesDepts()},
		TemplateID: a.general.ID,
		Deadlines: assessment.Deadlines{SelfEvaluation: a.date(yearEndSelfDue), ManagerReview: a.date(yearEndSelfDue + 14),
			Calibration: a.date(yearEndSelfDue + 35), AppealUntil: a.date(yearEndSelfDue + 50)},
	})
	if err != nil {
		return fmt.Errorf("demo: year-end cycle: %w", err)
	}
	if c, err = svc.OpenCycle(hrCtx, c.ID, c.Version); err != nil {
		return fmt.Errorf("demo: open year-end cycle: %w", err)
	}
	ps, err := a.participants(hrCtx, c.ID)
	if err != nil {
		return err
	}
	// 王丽 and 刘强 have not started; 赵敏 and a few others saved a draft;
	// the rest submitted.
	draftOnly := []string{appellant, "huangpeng", "luofang", "fengchen", "guojing"}
	for _, p := range ps {
		key := a.keyOf(p.EmployeeID)
		if key == seniorSalesperson || key == "liuqiang" {
			continue
		}
		r := rng("assessment/year/" + key)
		d := draw{level: level(key, a.emps[key].KeyPerson, r), r: r}
		me := a.as(ctx, p.EmployeeID)
		if _, err := svc.SaveSelfEvaluation(me, p.ID, a.selfEntries(d, key)); err != nil {
			return fmt.Errorf("demo: year-end self-evaluation of %s: %w", p.EmployeeName, err)
		}
		if slices.Contains(draftOnly, key) {
			continue
		}
		if _, err := svc.SubmitSelfEvaluation(me, p.ID); err != nil {
			return fmt.Errorf("demo: submit year-end self-evaluation of %s: %w", p.EmployeeName, err)
		}
	}
	if a.cfg.Multirater != nil {
		return a.round(ctx, c)
	}
	return nil
}

// questionnaire is the 360 questionnaire of the team leads.
func questionnaire() multirater.Questionnaire {
	return multirater.Questionnaire{
		Scale: multirater.Scale{Min: 1, Max: 5, Anchors: []multirater.Anchor{
			{Value: 1, Label: "很少做到"}, {Value: 3, Label: "多数时候做到"}, {Value: 5, Label: "始终做到，是榜样"}}},
		Dimensions: []multirater.Dimension{
			{Code: "LEAD", Name: "领导力", Comment: true, Questions: []multirater.Question{
				{Code: "LEAD1", Text: "清楚地说明团队目标和优先级"},
				{Code: "LEAD2", Text: "放手让成员独立谈单，并在关键时刻给予支持"},
				{Code: "LEAD3", Text: "及时、具体地反馈成员的工作"}}},
			{Code: "COLLAB", Name: "跨部门协作", Comment: true, Questions: []multirater.Question{
				{Code: "COLLAB1", Text: "与采购、仓储、财务沟通顺畅"},
				{Code: "COLLAB2", Text: "信息共享，不把客户当作个人资源"}}},
			{Code: "CUST", Name: "客户导向", Questions: []multirater.Question{
				{Code: "CUST1", Text: "以客户长期价值而非单笔订单做决策"},
				{Code: "CUST2", Text: "客户问题响应及时"}}},
		},
	}
}

// round runs the year-end 360 round of 王丽 and 何志明 up to collecting:
// peers nominated (one of 王丽's still waiting for 刘强's approval) and
// part of the answers in — 王丽's direct reports over their threshold, 赵敏
// not yet.
func (a *assessor) round(ctx context.Context, c assessment.Cycle) error {
	m := a.cfg.Multirater
	hrCtx := a.as(ctx, a.emps[assessmentHR].ID)
	wang, he, liu := a.emps[seniorSalesperson].ID, a.emps["hezhiming"].ID, a.emps["liuqiang"].ID
	rd, err := m.CreateRound(hrCtx, multirater.RoundParams{CycleID: c.ID, Name: fmt.Sprintf("%d 年终 360 环评（带队骨干）", a.now.Year()),
		Questionnaire: questionnaire(), NominationDue: a.date(1), ResponseDue: a.date(yearEndSelfDue + 4), Reviewees: []string{wang, he}})
	if err != nil {
		return fmt.Errorf("demo: 360 round: %w", err)
	}
	nominate := func(by context.Context, reviewee string, raters ...string) ([]multirater.Nomination, error) {
		var ids []string
		for _, k := range raters {
			ids = append(ids, a.emps[k].ID)
		}
		ns, err := m.Nominate(by, multirater.NominateParams{RoundID: rd.ID, RevieweeID: reviewee, Group: multirater.GroupPeer, RaterIDs: ids})
		if err != nil {
			return nil, fmt.Errorf("demo: nominate peers: %w", err)
		}
		return ns, nil
	}
	wangPeers, err := nominate(a.as(ctx, wang), wang, "hezhiming", "sunwei", "dujuan")
	if err != nil {
		return err
	}
	hePeers, err := nominate(hrCtx, he, seniorSalesperson, "penggang", "zhuhong")
	if err != nil {
		return err
	}
	mgr := a.as(ctx, liu)
	for _, n := range append(wangPeers, hePeers...) {
		if n.RaterID == a.emps["dujuan"].ID {
			continue // waits for 刘强
		}
		if _, err := m.DecideNomination(mgr, n.ID, true, "", n.Version); err != nil {
			return fmt.Errorf("demo: approve nomination: %w", err)
		}
	}
	if rd, err = m.OpenRound(hrCtx, rd.ID, rd.Version); err != nil {
		return fmt.Errorf("demo: open 360 round: %w", err)
	}
	// Who has answered so far, and about whom.
	answered := []struct{ rater, reviewee string }{
		{"lina", wang}, {"huangpeng", wang}, {"wuting", wang}, {"xutao", wang}, {"hezhiming", wang},
		{"luofang", he}, {"liangyu", he}, {"penggang", he},
	}
	for _, x := range answered {
		rater := a.as(ctx, a.emps[x.rater].ID)
		as, err := m.MyAssignments(rater, rd.ID)
		if err != nil {
			return fmt.Errorf("demo: 360 assignments of %s: %w", x.rater, err)
		}
		i := slices.IndexFunc(as, func(as multirater.Assignment) bool { return as.RevieweeID == x.reviewee })
		if i < 0 {
			return fmt.Errorf("demo: %s has no 360 review to write", x.rater)
		}
		if _, err := m.Submit(rater, as[i].ID, answers(x.rater, x.reviewee == wang)); err != nil {
			return fmt.Errorf("demo: 360 answers of %s: %w", x.rater, err)
		}
	}
	return nil
}

// answers are one rater's answers: high for 王丽 except in cross-
// department collaboration (she keeps her customers close), steady for
// 何志明.
func answers(rater string, aboutWang bool) multirater.Answers {
	r := rng("360/" + rater)
	ans := multirater.Answers{Scores: map[string]int{}, Comments: map[string]string{}}
	for _, d := range questionnaire().Dimensions {
		for _, q := range d.Questions {
			var v int
			switch {
			case aboutWang && d.Code == "COLLAB":
				v = 2 + r.IntN(2)
			case aboutWang:
				v = 4 + r.IntN(2)
			default:
				v = 3 + r.IntN(2)
			}
			ans.Scores[q.Code] = v
		}
	}
	if aboutWang {
		ans.Comments["LEAD"] = "带新人很有耐心，谈判技巧毫无保留。"
		ans.Comments["COLLAB"] = "重点客户的信息希望能更多地在团队和部门间共享。"
	}
	return ans
}
