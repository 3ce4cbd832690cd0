package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/ballast-hr/ballast"
	"github.com/ballast-hr/ballast/hr"
	"github.com/ballast-hr/ballast/hr/customers"
)

// holding is how many customers one salesperson owns, and how many of them
// are key accounts with which range of annual value (in yuan).
type holding struct {
	owner          string
	customers, key int
	keyMin, keyMax int64 // annual value of a key account, yuan
}

// holdingList is the customer book of the sales department: 王丽 owns the
// largest part and most of the key-account value; her team, the channel
// group and its manager own the rest. 120 customers in all.
func holdingList() []holding {
	return []holding{
		{"wangli", 44, 14, 1_600_000, 4_800_000},
		{"zhanglei", 15, 3, 800_000, 1_500_000},
		{"zhaomin", 12, 2, 700_000, 1_200_000},
		{"lina", 8, 0, 0, 0},
		{"huangpeng", 7, 0, 0, 0},
		{"wuting", 6, 0, 0, 0},
		{"xutao", 5, 0, 0, 0},
		{"machao", 3, 0, 0, 0},
		{"hezhiming", 6, 2, 600_000, 1_000_000},
		{"luofang", 5, 0, 0, 0},
		{"liangyu", 4, 0, 0, 0},
		{"xielihua", 3, 0, 0, 0},
		{"hanxue", 2, 0, 0, 0},
	}
}

// industry is a customer industry with the company-name suffix it uses,
// what Dingsheng sells to it and what such customers typically need.
type industry struct {
	name, suffix string
	products     []string
	needs        string
}

func industryList() []industry {
	return []industry{
		{"电子制造", "电子科技有限公司", []string{"电子元器件", "PCB 覆铜板", "连接器"}, "对交期要求高，需要按周滚动备货；关注无铅环保认证。"},
		{"汽车零部件", "汽车零部件有限公司", []string{"冷轧钢板", "轴承", "密封件"}, "需通过 IATF 16949 供应商审核；批次追溯必须完整。"},
		{"食品饮料", "食品有限公司", []string{"食品级包装材料", "不锈钢管件", "冷链周转箱"}, "包装材料须符合食品接触标准；旺季（中秋、春节前）用量翻倍。"},
		{"医药", "医药有限公司", []string{"药用玻璃瓶", "铝塑包材", "洁净室耗材"}, "供应商资质审核严格，需提供 GMP 相关文件；付款周期 90 天。"},
		{"建材", "建材有限公司", []string{"不锈钢板", "铝型材", "镀锌管"}, "价格敏感，按月比价；项目型采购，量大但不稳定。"},
		{"纺织服装", "服饰有限公司", []string{"涤纶面料", "辅料", "活性染料"}, "小批量多批次；对色差要求严格，需留样。"},
		{"家电", "电器有限公司", []string{"压缩机配件", "工业电机", "彩涂板"}, "年度框架协议，季度调价；关注交付准时率。"},
		{"化工", "化工有限公司", []string{"PP 塑料粒子", "环氧树脂", "工业溶剂"}, "危化品运输需专门资质；希望我们提供寄售库存。"},
		{"商业零售", "商贸有限公司", []string{"办公用品", "日用百货", "礼品定制"}, "节假日促销集中采购；重视账期和退换货政策。"},
		{"物流仓储", "物流有限公司", []string{"塑料托盘", "瓦楞纸箱", "叉车配件"}, "多仓库分散送货；希望按仓库分别开票。"},
	}
}

// city is where a customer sits, with its sales region.
type city struct{ name, region string }

func cityList() []city {
	return []city{
		{"上海", "华东"}, {"杭州", "华东"}, {"苏州", "华东"}, {"南京", "华东"}, {"宁波", "华东"},
		{"无锡", "华东"}, {"广州", "华南"}, {"深圳", "华南"}, {"东莞", "华南"}, {"佛山", "华南"},
		{"厦门", "华南"}, {"北京", "华北"}, {"天津", "华北"}, {"青岛", "华北"}, {"武汉", "华中"},
		{"长沙", "华中"}, {"郑州", "华中"}, {"成都", "西南"}, {"重庆", "西南"}, {"西安", "西北"},
	}
}

// brandList are the made-up trade names of the customers.
func brandList() []string {
	return []string{
		"华辰", "宏达", "金鼎", "恒通", "瑞丰", "永盛", "嘉禾", "信诚", "远航", "天成",
		"鑫源", "博远", "中联", "海润", "明泰", "盛世", "新宇", "佳美", "汇通", "康达",
		"东升", "鼎新", "安泰", "华茂", "润丰", "志远", "创利", "德润", "广源", "万象",
		"和信", "荣昌", "祥和", "宝利", "富源", "益友", "蓝海", "卓越", "恒瑞", "金桥",
	}
}

// Contacts' names and roles.
var (
	contactSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"}
	contactGiven    = []string{"建华", "秀英", "志强", "丽娟", "海涛", "晓东", "春梅", "国平", "雪梅", "振宇", "红霞", "文斌", "桂兰", "永刚", "静怡", "浩然", "敏", "军", "磊", "芳"}
	contactRoles    = []string{"采购经理", "总经理", "采购专员", "财务主管", "技术总监", "仓储主管", "供应链总监"}
	followChannels  = []string{"拜访", "电话", "微信", "邮件", "展会"}
	followNotes     = []string{
		"沟通下季度采购计划，对方预计用量增加两成。",
		"客户反映上批货交期晚了三天，已协调仓库加急。",
		"陪同技术人员上门，解决安装问题，客户满意。",
		"对方新任采购负责人到岗，初次拜访建立联系。",
		"报价已发出，客户在与另外两家比价。",
		"年度框架合同续签意向明确，待法务审核条款。",
		"客户询问寄售库存方案，需内部评估资金占用。",
		"回款逾期十天，已与财务主管确认下周付款。",
	}
	followNext = []string{"发送正式报价", "安排样品寄送", "约下周上门拜访", "跟进合同审批", "提交寄售方案", "确认回款"}
)

// seedCustomers creates the customer book, as the system on behalf of each
// owner. Customers are deterministic: the i-th customer's name, industry,
// city, contacts, deals and follow-ups depend only on i and the seed's
// clock.
func (s *seeder) seedCustomers(ctx context.Context) error {
	brands, cities, inds := brandList(), cityList(), industryList()
	i := 0
	s.customers = make(map[string][]customers.Customer)
	for _, h := range holdingList() {
		owner := s.emps[h.owner]
		r := rng("customers:" + h.owner)
		for k := 0; k < h.customers; k++ {
			ind := inds[(i*3+i/len(brands))%len(inds)]
			c := cities[(i+i/len(brands)*5)%len(cities)]
			p := customers.Params{
				Name:     c.name + brands[i%len(brands)] + ind.suffix,
				Industry: ind.name,
				Region:   c.region,
				Tier:     customers.TierStandard,
				Currency: "CNY",
				Needs:    ind.needs,
				OwnerID:  owner.ID,
			}
			yuan := 50_000 + r.Int64N(550_000)
			if k < h.key {
				p.Tier = customers.TierKey
				yuan = h.keyMin + r.Int64N(h.keyMax-h.keyMin+1)
			}
			yuan = yuan / 1000 * 1000
			p.AnnualValueCents = yuan * 100
			p.Contacts = s.contacts(i, r)
			p.Deals = s.deals(ind, yuan, r)
			p.FollowUps = s.followUps(r)
			created, err := s.cfg.Customers.Create(s.as(ctx, owner.ID), p)
			if err != nil {
				return fmt.Errorf("demo: create customer %s: %w", p.Name, err)
			}
			s.customers[h.owner] = append(s.customers[h.owner], created)
			i++
		}
	}
	return nil
}

func (s *seeder) contacts(i int, r *rand.Rand) []customers.Contact {
	n := 1 + r.IntN(3)
	out := make([]customers.Contact, 0, n)
	for j := range n {
		c := customers.Contact{
			Name:  contactSurnames[r.IntN(len(contactSurnames))] + contactGiven[r.IntN(len(contactGiven))],
			Role:  contactRoles[(i+j)%len(contactRoles)],
			Phone: fmt.Sprintf("13%d%08d", 5+r.IntN(5), r.IntN(100_000_000)),
		}
		if j == 0 {
			c.Email = fmt.Sprintf("purchasing%03d@customer.example.cn", i+1)
		}
		out = append(out, c)
	}
	return out
}

// deals are the closed deals of the last two years, newest first, adding
// up to roughly two years of the annual value.
func (s *seeder) deals(ind industry, yuan int64, r *rand.Rand) []customers.Deal {
	n := 2 + r.IntN(4)
	out := make([]customers.Deal, 0, n)
	for range n {
		day := s.now.AddDate(0, 0, -(10 + r.IntN(720)))
		amount := yuan * 2 / int64(n) * int64(80+r.IntN(40)) / 100
		out = append(out, customers.Deal{
			Date:        hr.DateOf(day),
			AmountCents: amount / 100 * 100 * 100,
			Product:     ind.products[r.IntN(len(ind.products))],
		})
	}
	slices.SortFunc(out, func(a, b customers.Deal) int { return strings.Compare(b.Date.String(), a.Date.String()) })
	return out
}

// followUps are the contacts of the last three months, newest first.
func (s *seeder) followUps(r *rand.Rand) []customers.FollowUp {
	n := 1 + r.IntN(3)
	out := make([]customers.FollowUp, 0, n)
	for range n {
		out = append(out, customers.FollowUp{
			Date:     hr.DateOf(s.now.AddDate(0, 0, -(1 + r.IntN(90)))),
			Channel:  followChannels[r.IntN(len(followChannels))],
			Note:     followNotes[r.IntN(len(followNotes))],
			NextStep: followNext[r.IntN(len(followNext))],
		})
	}
	slices.SortFunc(out, func(a, b customers.FollowUp) int { return strings.Compare(b.Date.String(), a.Date.String()) })
	return out
}

// firstSnapshot takes the first tenant-wide customer snapshot.
func (s *seeder) firstSnapshot(ctx context.Context) error {
	hrCtx := s.as(ctx, s.emps["hejing"].ID)
	if _, err := s.cfg.Customers.TakeSnapshot(hrCtx, customers.SnapshotScope{}, "演示：首次客户快照"); err != nil {
		return fmt.Errorf("demo: first customer snapshot: %w", err)
	}
	return nil
}

// alterCustomer lets the resigning salesperson alter one of his key
// accounts during his notice period (the main contact's phone replaced by
// his own, the needs cleared), so the snapshot diff and the handover's
// integrity check have something to show.
func (s *seeder) alterCustomer(ctx context.Context) error {
	mine := s.customers[resigning]
	if len(mine) == 0 {
		return nil
	}
	c := mine[0]
	p := c.Params()
	p.Contacts = slices.Clone(p.Contacts)
	p.Contacts[0].Phone = s.emps[resigning].Phone
	p.Needs = ""
	updated, err := s.cfg.Customers.Update(s.as(ctx, s.emps[resigning].ID), c.ID, p, c.Version)
	if err != nil {
		return fmt.Errorf("demo: alter customer %s: %w", c.Name, err)
	}
	mine[0] = updated
	return nil
}

// as returns ctx acting for employee id: a system principal of the demo
// tenant whose subject is the employee, so records and audit entries name
// them. (Roles granted in the seed's transaction reach the enforcer only
// after it commits, so the seed cannot act as the users themselves.)
func (s *seeder) as(ctx context.Context, id string) context.Context {
	return ballast.WithPrincipal(ctx, ballast.Principal{Tenant: TenantID, Subject: id, Kind: ballast.KindSystem})
}
