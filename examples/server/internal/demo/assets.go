package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/assets"
)

// assetSpec is one asset of the register and who holds it ("" keeps it in
// stock).
type assetSpec struct {
	kind              assets.Kind
	name, model, tag  string
	holder            string
	condition         assets.Condition
	notes             string
	previousHolder    string // issued to this person before, and returned
	previousCondition assets.Condition
}

// assetList is the register: a laptop and an access badge for the sales
// staff and the office, phones and business cards for the account
// managers, keys for the heads, and 张磊 — on notice — holding a laptop, a
// phone, a badge, the sample-room key and a box of business cards.
func assetList() []assetSpec {
	var out []assetSpec
	laptops := []string{
		"chenjianguo", "linxiaoyan", "zhouzhiqiang", "songyaqin",
		"liuqiang", "wangli", "zhaomin", "zhanglei", "lina", "huangpeng", "wuting", "xutao", "guojing", "machao",
		"hezhiming", "luofang", "liangyu", "xielihua", "hanxue", "tangjun",
		"sunwei", "zhuhong", "dujuan", "yeqing", "hejing", "sumin",
	}
	for i, k := range laptops {
		model := "ThinkPad T14 Gen 4"
		if i < 6 {
			model = "ThinkPad X1 Carbon Gen 11"
		}
		out = append(out, assetSpec{kind: assets.KindLaptop, name: fmt.Sprintf("笔记本电脑 #%02d", i+1), model: model,
			tag: fmt.Sprintf("DS-LT-%03d", i+1), holder: k, condition: assets.ConditionGood})
	}
	// One laptop came back from a leaver's predecessor and went out again.
	out = append(out, assetSpec{kind: assets.KindLaptop, name: fmt.Sprintf("笔记本电脑 #%02d", len(laptops)+1), model: "ThinkPad T14 Gen 3",
		tag: fmt.Sprintf("DS-LT-%03d", len(laptops)+1), holder: "fengchen", condition: assets.ConditionWorn,
		previousHolder: "hezhiming", previousCondition: assets.ConditionWorn, notes: "键盘有磨损"})
	for i := range 3 {
		out = append(out, assetSpec{kind: assets.KindLaptop, name: fmt.Sprintf("备用笔记本 #%d", i+1), model: "ThinkPad E14",
			tag: fmt.Sprintf("DS-LT-S%02d", i+1), condition: assets.ConditionNew})
	}
	phones := []string{"liuqiang", "wangli", "zhaomin", "zhanglei", "hezhiming", "sunwei"}
	for i, k := range phones {
		out = append(out, assetSpec{kind: assets.KindPhone, name: fmt.Sprintf("工作手机 #%02d", i+1), model: "华为 Mate 60",
			tag: fmt.Sprintf("DS-PH-%03d", i+1), holder: k, condition: assets.ConditionGood})
	}
	out = append(out, assetSpec{kind: assets.KindPhone, name: "备用手机 #1", model: "华为 nova 12",
		tag: "DS-PH-S01", condition: assets.ConditionNew})
	badges := []string{
		"liuqiang", "wangli", "zhaomin", "zhanglei", "lina", "huangpeng", "wuting", "xutao", "guojing", "machao",
		"hezhiming", "luofang", "liangyu", "xielihua", "hanxue", "tangjun", "fengchen",
		"penggang", "zengyong", "jiangli", "caiming", "yubo",
	}
	for i, k := range badges {
		out = append(out, assetSpec{kind: assets.KindAccessBadge, name: fmt.Sprintf("门禁卡 #%03d", i+1),
			tag: fmt.Sprintf("DS-BG-%03d", i+1), holder: k, condition: assets.ConditionGood})
	}
	out = append(out,
		assetSpec{kind: assets.KindKeys, name: "总经办钥匙", tag: "DS-KY-001", holder: "chenjianguo", condition: assets.ConditionGood},
		assetSpec{kind: assets.KindKeys, name: "财务室钥匙", tag: "DS-KY-002", holder: "dujuan", condition: assets.ConditionGood},
		assetSpec{kind: assets.KindKeys, name: "仓库大门钥匙", tag: "DS-KY-003", holder: "penggang", condition: assets.ConditionGood},
		assetSpec{kind: assets.KindKeys, name: "样品间钥匙", tag: "DS-KY-004", holder: "zhanglei", condition: assets.ConditionGood,
			notes: "样品间只有两把钥匙，另一把在行政"},
		assetSpec{kind: assets.KindKeys, name: "样品间钥匙（备用）", tag: "DS-KY-005", condition: assets.ConditionGood},
	)
	for _, k := range []string{"wangli", "zhaomin", "zhanglei", "lina", "hezhiming", "luofang"} {
		out = append(out, assetSpec{kind: assets.KindBusinessCards, name: "名片（一盒）", holder: k, condition: assets.ConditionNew,
			notes: "印有公司名称与职务，离职时收回"})
	}
	return out
}

// seedAssets registers and issues the company's assets, as the
// administration (何静's department) would.
func (s *seeder) seedAssets(ctx context.Context) error {
	admin := s.as(ctx, s.emps["hejing"].ID)
	for _, spec := range assetList() {
		a, err := s.cfg.Assets.Register(admin, assets.Params{Kind: spec.kind, Name: spec.name, Model: spec.model,
			Tag: spec.tag, Condition: spec.condition, Notes: spec.notes})
		if err != nil {
			return fmt.Errorf("demo: register asset %s: %w", spec.name, err)
		}
		if spec.previousHolder != "" {
			prev := s.emps[spec.previousHolder]
			if _, err := s.cfg.Assets.Issue(admin, a.ID, assets.IssueParams{Holder: prev.ID, On: s.later(prev.HireDate, 3*365)}); err != nil {
				return fmt.Errorf("demo: issue %s to %s: %w", spec.name, prev.Name, err)
			}
			if _, err := s.cfg.Assets.Return(admin, a.ID, assets.ReturnParams{On: hr.DateOf(s.now.AddDate(0, -8, 0)),
				Condition: spec.previousCondition, Note: "换新机后交回"}); err != nil {
				return fmt.Errorf("demo: return %s: %w", spec.name, err)
			}
		}
		if spec.holder == "" {
			continue
		}
		e := s.emps[spec.holder]
		on := s.later(e.HireDate, 2*365)
		if spec.previousHolder != "" {
			on = hr.DateOf(s.now.AddDate(0, -7, 0))
			if on.Before(e.HireDate) {
				on = e.HireDate
			}
		}
		if _, err := s.cfg.Assets.Issue(admin, a.ID, assets.IssueParams{Holder: e.ID, On: on}); err != nil {
			return fmt.Errorf("demo: issue %s to %s: %w", spec.name, e.Name, err)
		}
	}
	return nil
}

// later returns the hire day, or days before now when the hire lies
// further back (equipment is renewed): the day an asset was issued.
func (s *seeder) later(hired hr.Date, days int) hr.Date {
	floor := hr.DateOf(s.now.Add(-time.Duration(days) * 24 * time.Hour))
	if hired.After(floor) {
		return hired
	}
	return floor
}
