package demo

import "github.com/ballast-hr/ballast/hr"

// dept is a department of the demo company.
type dept struct {
	key, name, parent, head string
}

// departmentList lists the org tree, parents first. The root is the company.
func departmentList() []dept {
	return []dept{
		{"co", "鼎盛贸易", "", "chenjianguo"},
		{"gm", "总经办", "co", "chenjianguo"},
		{"sales", "销售部", "co", "liuqiang"},
		{"ka", "大客户组", "sales", "wangli"},
		{"channel", "渠道组", "sales", "hezhiming"},
		{"purch", "采购部", "co", "sunwei"},
		{"wh", "仓储物流部", "co", "penggang"},
		{"fin", "财务部", "co", "dujuan"},
		{"hradm", "行政人事部", "co", "hejing"},
	}
}

// pos is a position: title, department, level, grade and whether it is
// critical to the business.
type pos struct {
	key, title, dept string
	level            int
	grade            string
	critical         bool
}

// positionList lists the positions of the demo company.
func positionList() []pos {
	return []pos{
		{"ceo", "总经理", "gm", 10, "M5", true},
		{"assistant", "总经理助理", "gm", 4, "P4", false},
		{"itadmin", "信息系统管理员", "gm", 5, "P5", false},
		{"legal", "法务专员", "gm", 5, "P5", false},
		{"salesdir", "销售总监", "sales", 8, "M3", true},
		{"seniorsales", "高级销售经理", "ka", 7, "P7", true},
		{"kam", "大客户经理", "ka", 5, "P5", false},
		{"salesrep", "销售代表", "ka", 3, "P3", false},
		{"salesasst", "销售助理", "ka", 2, "P2", false},
		{"channelmgr", "渠道经理", "channel", 6, "P6", false},
		{"channelrep", "渠道专员", "channel", 4, "P4", false},
		{"purchmgr", "采购经理", "purch", 7, "M2", true},
		{"buyer", "采购专员", "purch", 4, "P4", false},
		{"sqe", "供应商质量专员", "purch", 4, "P4", false},
		{"whlead", "仓储主管", "wh", 5, "M1", false},
		{"whclerk", "仓管员", "wh", 2, "P2", false},
		{"finmgr", "财务经理", "fin", 7, "M2", true},
		{"accountant", "会计", "fin", 4, "P4", false},
		{"cashier", "出纳", "fin", 3, "P3", false},
		{"hrmgr", "人事行政经理", "hradm", 7, "M2", false},
		{"hrspec", "人事专员", "hradm", 4, "P4", false},
		{"adminspec", "行政专员", "hradm", 3, "P3", false},
	}
}

// person is an employee of the demo company. The key is the pinyin of the
// name, used for the e-mail address and the login.
type person struct {
	key, name, dept, pos, manager string
	// years and months since hiring, counted back from the seed's clock.
	years, months int
	channel       hr.HireChannel
	referrer      string
	keyPerson     bool
	// skill set to draw skills from
	skills string
}

// peopleList lists the employees, managers before their reports and referrers
// before the people they referred.
func peopleList() []person {
	return []person{
		{"chenjianguo", "陈建国", "gm", "ceo", "", 12, 4, hr.ChannelExperienced, "", true, "mgmt"},
		{"linxiaoyan", "林晓燕", "gm", "assistant", "chenjianguo", 5, 2, hr.ChannelExperienced, "", false, "office"},
		{"zhouzhiqiang", "周志强", "gm", "itadmin", "chenjianguo", 6, 7, hr.ChannelExperienced, "", false, "it"},
		{"songyaqin", "宋雅琴", "gm", "legal", "chenjianguo", 3, 1, hr.ChannelAgency, "", false, "legal"},

		{"liuqiang", "刘强", "sales", "salesdir", "chenjianguo", 10, 1, hr.ChannelExperienced, "", true, "sales"},
		{"wangli", "王丽", "ka", "seniorsales", "liuqiang", 8, 3, hr.ChannelExperienced, "", true, "sales"},
		{"zhaomin", "赵敏", "ka", "kam", "wangli", 5, 6, hr.ChannelReferral, "wangli", false, "sales"},
		{"zhanglei", "张磊", "ka", "kam", "wangli", 4, 2, hr.ChannelReferral, "wangli", false, "sales"},
		{"lina", "李娜", "ka", "salesrep", "wangli", 3, 5, hr.ChannelReferral, "wangli", false, "sales"},
		{"huangpeng", "黄鹏", "ka", "salesrep", "wangli", 2, 6, hr.ChannelReferral, "wangli", false, "sales"},
		{"wuting", "吴婷", "ka", "salesrep", "wangli", 2, 0, hr.ChannelReferral, "wangli", false, "sales"},
		{"xutao", "徐涛", "ka", "salesrep", "wangli", 1, 8, hr.ChannelReferral, "wangli", false, "sales"},
		{"guojing", "郭静", "ka", "salesasst", "wangli", 1, 2, hr.ChannelReferral, "wangli", false, "office"},
		{"machao", "马超", "ka", "salesrep", "wangli", 0, 9, hr.ChannelReferral, "wangli", false, "sales"},
		{"hezhiming", "何志明", "channel", "channelmgr", "liuqiang", 6, 0, hr.ChannelExperienced, "", false, "sales"},
		{"luofang", "罗芳", "channel", "channelrep", "hezhiming", 4, 7, hr.ChannelReferral, "wangli", false, "sales"},
		{"liangyu", "梁宇", "channel", "channelrep", "hezhiming", 3, 3, hr.ChannelCampus, "", false, "sales"},
		{"xielihua", "谢丽华", "channel", "channelrep", "hezhiming", 2, 4, hr.ChannelReferral, "wangli", false, "sales"},
		{"hanxue", "韩雪", "channel", "channelrep", "hezhiming", 1, 6, hr.ChannelReferral, "wangli", false, "sales"},
		{"tangjun", "唐军", "channel", "channelrep", "hezhiming", 1, 0, hr.ChannelAgency, "", false, "sales"},
		{"fengchen", "冯晨", "channel", "channelrep", "hezhiming", 0, 7, hr.ChannelCampus, "", false, "sales"},

		{"sunwei", "孙伟", "purch", "purchmgr", "chenjianguo", 9, 2, hr.ChannelExperienced, "", true, "purch"},
		{"zhuhong", "朱红", "purch", "buyer", "sunwei", 6, 4, hr.ChannelExperienced, "", false, "purch"},
		{"gaoxiang", "高翔", "purch", "buyer", "sunwei", 4, 1, hr.ChannelCampus, "", false, "purch"},
		{"linfeng", "林峰", "purch", "buyer", "sunwei", 3, 0, hr.ChannelReferral, "sunwei", false, "purch"},
		{"hedan", "何丹", "purch", "buyer", "sunwei", 2, 3, hr.ChannelCampus, "", false, "purch"},
		{"caoyang", "曹阳", "purch", "sqe", "sunwei", 1, 6, hr.ChannelExperienced, "", false, "purch"},
		{"dengchao", "邓超", "purch", "buyer", "sunwei", 1, 0, hr.ChannelAgency, "", false, "purch"},

		{"penggang", "彭刚", "wh", "whlead", "chenjianguo", 7, 5, hr.ChannelExperienced, "", false, "wh"},
		{"zengyong", "曾勇", "wh", "whclerk", "penggang", 5, 0, hr.ChannelExperienced, "", false, "wh"},
		{"jiangli", "蒋丽", "wh", "whclerk", "penggang", 3, 8, hr.ChannelReferral, "zengyong", false, "wh"},
		{"caiming", "蔡明", "wh", "whclerk", "penggang", 2, 2, hr.ChannelAgency, "", false, "wh"},
		{"yubo", "余波", "wh", "whclerk", "penggang", 0, 11, hr.ChannelCampus, "", false, "wh"},

		{"dujuan", "杜娟", "fin", "finmgr", "chenjianguo", 8, 0, hr.ChannelExperienced, "", true, "fin"},
		{"yeqing", "叶青", "fin", "accountant", "dujuan", 4, 9, hr.ChannelCampus, "", false, "fin"},
		{"chenglin", "程琳", "fin", "cashier", "dujuan", 2, 1, hr.ChannelInternalTransfer, "", false, "fin"},

		{"hejing", "何静", "hradm", "hrmgr", "chenjianguo", 7, 3, hr.ChannelExperienced, "", false, "hr"},
		{"sumin", "苏敏", "hradm", "hrspec", "hejing", 3, 2, hr.ChannelCampus, "", false, "hr"},
		{"panyue", "潘悦", "hradm", "adminspec", "hejing", 2, 0, hr.ChannelCampus, "", false, "office"},
		{"tiantian", "田甜", "hradm", "hrspec", "hejing", 1, 1, hr.ChannelAgency, "", false, "hr"},
	}
}

// resigning is the employee with a pending resignation, and how many days
// ahead their last working day lies.
const (
	resigning         = "zhanglei"
	resigningInDays   = 21
	seniorSalesperson = "wangli"
)

// skillSets are the skills each kind of job draws from.
func skillSets() map[string][]string {
	return map[string][]string{
		"mgmt":   {"战略规划", "团队管理", "商务谈判", "财务分析", "客户关系"},
		"sales":  {"客户谈判", "大客户管理", "CRM", "商务英语", "方案演示", "渠道拓展", "合同管理"},
		"office": {"Office 办公软件", "会议组织", "公文写作", "商务英语", "差旅安排"},
		"it":     {"网络运维", "Linux", "ERP 系统维护", "信息安全", "SQL"},
		"legal":  {"合同审核", "劳动法", "知识产权", "合规管理"},
		"purch":  {"供应商管理", "成本分析", "ERP (SAP)", "进出口业务", "质量体系"},
		"wh":     {"库存管理", "WMS", "叉车操作", "物流调度", "安全生产"},
		"fin":    {"财务分析", "税务筹划", "用友 U8", "预算管理", "内控"},
		"hr":     {"招聘", "劳动法", "薪酬绩效", "培训组织", "员工关系"},
	}
}
