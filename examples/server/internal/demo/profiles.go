package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/ballast-hr/ballast/hr"
)

// period is one half-year review period.
type period struct {
	label      string
	start, end time.Time
}

// periods returns the last n completed half-years before now, oldest first.
func (s *seeder) periods(n int) []period {
	y, half := s.now.Year(), 1
	if s.now.Month() >= time.July {
		half = 2
	}
	var out []period
	for len(out) < n {
		// step back to the previous half-year
		if half == 1 {
			y, half = y-1, 2
		} else {
			half = 1
		}
		startMonth := time.January
		if half == 2 {
			startMonth = time.July
		}
		start := time.Date(y, startMonth, 1, 0, 0, 0, 0, s.loc)
		out = append([]period{{label: fmt.Sprintf("%dH%d", y, half), start: start, end: start.AddDate(0, 6, -1)}}, out...)
	}
	return out
}

// grade maps a score to the company's grade scale.
func grade(score float64) string {
	switch {
	case score >= 90:
		return "S"
	case score >= 80:
		return "A"
	case score >= 70:
		return "B"
	case score >= 60:
		return "C"
	}
	return "D"
}

// performance draws an employee's history: a personal level, a gentle
// trend and noise; the senior salesperson is consistently top, and the
// resigning employee slid over the last year.
func (s *seeder) performance(p person, hired time.Time, r *rand.Rand) []hr.PerformanceRecord {
	base := 72 + r.Float64()*12
	if p.keyPerson {
		base = 86 + r.Float64()*5
	}
	trend := r.Float64()*1.6 - 0.5
	if p.key == seniorSalesperson {
		base, trend = 91, 0.4
	}
	var out []hr.PerformanceRecord
	ps := s.periods(6)
	for i, pd := range ps {
		// Reviewed only after at least three months in the period.
		if hired.After(pd.end.AddDate(0, -3, 0)) {
			continue
		}
		score := base + trend*float64(i) + r.NormFloat64()*3
		if p.key == resigning && i >= len(ps)-2 {
			score -= 9 + 4*float64(i-len(ps)+2)
		}
		score = math.Round(math.Max(50, math.Min(98, score))*10) / 10
		src := "import"
		if i >= len(ps)-2 {
			src = "assessment"
		}
		out = append(out, hr.PerformanceRecord{Period: pd.label, Score: score, Grade: grade(score), Source: src})
	}
	return out
}

// skills picks three to five skills of the employee's kind.
func skills(p person, r *rand.Rand) []hr.Skill {
	set := skillSets()[p.skills]
	n := 3 + r.IntN(3)
	if n > len(set) {
		n = len(set)
	}
	idx := r.Perm(len(set))[:n]
	out := make([]hr.Skill, 0, n)
	for _, i := range idx {
		lvl := 2 + r.IntN(3)
		if p.keyPerson {
			lvl = 4 + r.IntN(2)
		}
		out = append(out, hr.Skill{Name: set[i], Level: lvl})
	}
	return out
}

// projectCatalog lists projects by kind of job: name, role and whether
// several departments took part.
func projectCatalog() map[string][]struct {
	name, role string
	cross      bool
} {
	type pr = struct {
		name, role string
		cross      bool
	}
	return map[string][]pr{
		"sales":  {{"华东区重点客户拓展", "客户经理", false}, {"CRM 系统上线", "关键用户", true}, {"年度客户答谢会", "组织者", true}, {"新能源行业解决方案", "销售负责人", false}},
		"purch":  {{"供应商分级管理", "项目成员", false}, {"ERP 采购模块升级", "关键用户", true}, {"年度集中采购招标", "执行负责人", true}},
		"wh":     {{"仓库 WMS 上线", "项目成员", true}, {"库存盘点流程优化", "负责人", false}},
		"fin":    {{"金税四期系统对接", "负责人", true}, {"费用报销电子化", "项目成员", true}},
		"hr":     {{"校园招聘计划", "项目负责人", false}, {"绩效考核体系优化", "项目成员", true}},
		"it":     {{"CRM 系统上线", "技术负责人", true}, {"ERP 采购模块升级", "技术支持", true}, {"办公网络改造", "负责人", false}},
		"mgmt":   {{"公司三年发展规划", "负责人", true}},
		"office": {{"年度客户答谢会", "会务统筹", true}},
		"legal":  {{"合同模板标准化", "负责人", true}},
	}
}

// projects gives the employee up to two projects from their kind, within
// their tenure.
func (s *seeder) projects(p person, hired time.Time, r *rand.Rand) []hr.Project {
	cat := projectCatalog()[p.skills]
	if len(cat) == 0 || s.now.Sub(hired) < 180*24*time.Hour {
		return nil
	}
	n := 1 + r.IntN(2)
	if p.key == seniorSalesperson {
		n = len(cat)
	}
	if n > len(cat) {
		n = len(cat)
	}
	var out []hr.Project
	for _, k := range r.Perm(len(cat))[:n] {
		pr := cat[k]
		span := s.now.Sub(hired)
		start := hired.Add(time.Duration(r.Int64N(int64(span) / 2)))
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, s.loc)
		end := start.AddDate(0, 3+r.IntN(9), -1)
		proj := hr.Project{Name: pr.name, Role: pr.role, Start: hr.DateOf(start), CrossDepartment: pr.cross}
		if end.Before(s.now) {
			proj.End = hr.DateOf(end)
		}
		out = append(out, proj)
	}
	slices.SortFunc(out, func(a, b hr.Project) int { return strings.Compare(b.Start.String(), a.Start.String()) })
	return out
}

// certifications are held by a few people; PMP by two of them.
func (s *seeder) certifications(p person) []hr.Certification {
	d := func(yearsAgo, month int) hr.Date {
		return hr.NewDate(s.now.Year()-yearsAgo, time.Month(month), 15)
	}
	switch p.key {
	case "wangli":
		return []hr.Certification{
			{Name: "PMP 项目管理专业人士", Issuer: "PMI", Issued: d(2, 6), Expires: d(-1, 6)},
			{Name: "国际商务谈判师", Issuer: "中国国际贸易学会", Issued: d(6, 10)},
		}
	case "sunwei":
		return []hr.Certification{
			{Name: "PMP 项目管理专业人士", Issuer: "PMI", Issued: d(3, 3), Expires: d(-1, 3)},
			{Name: "CIPS 采购与供应管理", Issuer: "CIPS", Issued: d(5, 9)},
		}
	case "dujuan":
		return []hr.Certification{{Name: "注册会计师 (CPA)", Issuer: "中国注册会计师协会", Issued: d(9, 12)}}
	case "yeqing":
		return []hr.Certification{{Name: "中级会计师", Issuer: "财政部", Issued: d(2, 9)}}
	case "hejing":
		return []hr.Certification{{Name: "企业人力资源管理师（二级）", Issuer: "人力资源和社会保障部", Issued: d(6, 5)}}
	case "zhouzhiqiang":
		return []hr.Certification{{Name: "信息系统项目管理师（高级）", Issuer: "工业和信息化部", Issued: d(5, 11)}}
	case "songyaqin":
		return []hr.Certification{{Name: "法律职业资格证书", Issuer: "司法部", Issued: d(7, 3)}}
	case "zhaomin":
		return []hr.Certification{{Name: "BEC 商务英语（高级）", Issuer: "剑桥大学考试委员会", Issued: d(3, 6), SelfReported: true}}
	case "penggang":
		return []hr.Certification{{Name: "叉车操作证", Issuer: "市场监督管理局", Issued: d(7, 4), Expires: d(-1, 4)}}
	}
	return nil
}

// management records the teams a manager leads now (and, for the senior
// salesperson, the smaller team she started with).
func (s *seeder) management(p person, hired time.Time, reports map[string]int) []hr.ManagementExperience {
	n := reports[p.key]
	if n == 0 {
		return nil
	}
	var out []hr.ManagementExperience
	start := hired.AddDate(0, 6, 0)
	if p.key == seniorSalesperson {
		mid := hired.AddDate(3, 0, 0)
		out = append(out, hr.ManagementExperience{TeamSize: 3, Start: hr.DateOf(start), End: hr.DateOf(mid.AddDate(0, 0, -1)), Description: "大客户小组（初创）"})
		start = mid
	}
	var name string
	for _, d := range departmentList() {
		if d.head == p.key {
			name = d.name
			break
		}
	}
	if name == "" {
		name = "团队"
	}
	return append(out, hr.ManagementExperience{TeamSize: n, Start: hr.DateOf(start), Description: name})
}

// careerPlan records a plan for about half the staff, and for every key
// person.
func (s *seeder) careerPlan(p person, r *rand.Rand) *hr.CareerPlan {
	switch p.key {
	case seniorSalesperson:
		return &hr.CareerPlan{Direction: hr.DirectionManagement, TargetPositionID: s.positions["salesdir"].ID, Notes: "希望在三年内负责整个销售部，并建立大客户经理梯队。"}
	case "zhaomin":
		return &hr.CareerPlan{Direction: hr.DirectionSales, TargetPositionID: s.positions["seniorsales"].ID, Notes: "独立负责华东区重点客户，考取 PMP。"}
	}
	if r.IntN(2) == 0 && !p.keyPerson {
		return nil
	}
	dirs := []string{hr.DirectionManagement, hr.DirectionTechnical, hr.DirectionSales, hr.DirectionOther}
	dir := dirs[r.IntN(len(dirs))]
	if p.skills == "sales" && dir == hr.DirectionTechnical {
		dir = hr.DirectionSales
	}
	notes := map[string]string{
		hr.DirectionManagement: "希望承担更多团队管理职责。",
		hr.DirectionTechnical:  "希望在专业领域持续深耕。",
		hr.DirectionSales:      "希望负责更大的客户和区域。",
		hr.DirectionOther:      "考虑轮岗，了解公司其他业务。",
	}[dir]
	return &hr.CareerPlan{Direction: dir, Notes: notes}
}

// profiles writes every employee's profile in one update each.
func (s *seeder) profiles(ctx context.Context) error {
	reports := make(map[string]int)
	for _, p := range peopleList() {
		if p.manager != "" {
			reports[p.manager]++
		}
	}
	for _, p := range peopleList() {
		r := rng(p.key)
		hired := s.emps[p.key].HireDate.In(s.loc)
		perf := s.performance(p, hired, r)
		sk := skills(p, r)
		proj := s.projects(p, hired, r)
		certs := s.certifications(p)
		mgmt := s.management(p, hired, reports)
		u := hr.ProfileUpdate{Performance: &perf, Skills: &sk, Projects: &proj, Certifications: &certs, Management: &mgmt}
		if cp := s.careerPlan(p, r); cp != nil {
			u.CareerPlan = cp
		}
		if _, err := s.cfg.HR.UpdateProfile(ctx, s.emps[p.key].ID, u); err != nil {
			return fmt.Errorf("demo: profile of %s: %w", p.name, err)
		}
	}
	return nil
}
