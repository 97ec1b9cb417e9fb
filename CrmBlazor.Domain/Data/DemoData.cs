using Bogus;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Tags;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// Deterministic demo data: the dictionaries, one user per role (two sales reps in one team, so record
/// scope shows), tags, and realistic Chinese companies with key contacts. The same seed gives the same data.
/// </summary>
public static class DemoData
{
    public const int DefaultCustomers = 120;

    /// <summary>The demo users, in the order the development sign-in lists them.</summary>
    public static IReadOnlyList<(string ExternalId, string Name, Role Role)> Users { get; } =
    [
        ("demo-admin", "王建国", Role.Admin),
        ("demo-supervisor", "李明", Role.Supervisor),
        ("demo-salesrep", "张伟", Role.SalesRep),
        ("demo-salesrep2", "刘芳", Role.SalesRep),
        ("demo-service", "陈静", Role.CustomerService),
        ("demo-service2", "黄丽", Role.CustomerService),
        ("demo-analyst", "赵磊", Role.Analyst),
    ];

    /// <summary>The seeded dictionaries: code, Chinese label, English label.</summary>
    public static IReadOnlyDictionary<DictionaryKind, (string Code, string Zh, string En)[]> Dictionaries { get; } = new Dictionary<DictionaryKind, (string, string, string)[]>
    {
        [DictionaryKind.Industry] =
        [
            ("manufacturing", "制造业", "Manufacturing"), ("internet", "互联网", "Internet"), ("retail", "零售业", "Retail"),
            ("finance", "金融业", "Finance"), ("healthcare", "医疗健康", "Healthcare"), ("education", "教育", "Education"),
            ("logistics", "物流运输", "Logistics"), ("energy", "能源", "Energy"), ("software", "软件与信息服务", "Software & IT"),
            ("construction", "建筑业", "Construction"),
        ],
        [DictionaryKind.CompanySize] =
        [
            ("lt50", "50人以下", "Under 50"), ("50-200", "50–200人", "50–200"), ("200-500", "200–500人", "200–500"), ("500plus", "500人以上", "500+"),
        ],
        [DictionaryKind.CustomerStatus] =
        [
            (CustomerStatuses.New, "新客户", "New"), (CustomerStatuses.Cooperating, "合作中", "Cooperating"), (CustomerStatuses.Active, "活跃", "Active"),
            (CustomerStatuses.Silent, "沉默", "Silent"), (CustomerStatuses.Lost, "流失", "Lost"),
        ],
        [DictionaryKind.InteractionType] =
        [
            ("phone", "电话沟通", "Phone call"), ("visit", "上门拜访", "Visit"), ("online", "线上会议", "Online meeting"),
            ("email", "邮件往来", "E-mail"), ("event", "活动邀约", "Event"), ("care", "节日关怀", "Holiday care"),
        ],
        [DictionaryKind.DemandType] = [("existing", "现有需求", "Existing"), ("potential", "潜在需求", "Potential")],
        [DictionaryKind.TicketCategory] = [("bug", "系统故障", "Defect"), ("usage", "使用咨询", "How-to"), ("data", "数据问题", "Data issue")],
        [DictionaryKind.LostReason] =
        [
            ("price", "价格过高", "Price too high"), ("competitor", "选择了竞争对手", "Chose a competitor"), ("budget", "预算取消", "Budget cancelled"),
            ("timing", "时机不成熟", "Not the right time"), ("fit", "需求不匹配", "Needs not met"),
        ],
        [DictionaryKind.LeadSource] = [("website", "官网", "Website"), ("referral", "客户推荐", "Referral"), ("exhibition", "展会", "Exhibition")],
        [DictionaryKind.Region] =
        [
            ("上海", "上海", "Shanghai"), ("北京", "北京", "Beijing"), ("广东", "广东", "Guangdong"), ("浙江", "浙江", "Zhejiang"),
            ("江苏", "江苏", "Jiangsu"), ("四川", "四川", "Sichuan"), ("湖北", "湖北", "Hubei"), ("陕西", "陕西", "Shaanxi"),
            ("山东", "山东", "Shandong"), ("福建", "福建", "Fujian"), ("安徽", "安徽", "Anhui"), ("湖南", "湖南", "Hunan"),
        ],
    };

    private static readonly (string City, string Province, string[] Districts)[] Cities =
    [
        ("上海", "上海", ["浦东新区", "徐汇区", "闵行区"]), ("北京", "北京", ["海淀区", "朝阳区", "丰台区"]), ("深圳", "广东", ["南山区", "福田区"]),
        ("广州", "广东", ["天河区", "黄埔区"]), ("杭州", "浙江", ["西湖区", "滨江区"]), ("宁波", "浙江", ["鄞州区"]), ("苏州", "江苏", ["工业园区", "吴中区"]),
        ("南京", "江苏", ["鼓楼区", "江宁区"]), ("成都", "四川", ["高新区", "武侯区"]), ("武汉", "湖北", ["洪山区", "江汉区"]), ("西安", "陕西", ["雁塔区"]),
        ("青岛", "山东", ["市南区", "崂山区"]), ("厦门", "福建", ["思明区"]), ("合肥", "安徽", ["蜀山区"]), ("长沙", "湖南", ["岳麓区"]),
    ];
    private static readonly (string Brand, string Pinyin)[] Brands =
    [
        ("云帆", "yunfan"), ("华信", "huaxin"), ("启明", "qiming"), ("博远", "boyuan"), ("中科", "zhongke"), ("瑞丰", "ruifeng"),
        ("天衡", "tianheng"), ("恒通", "hengtong"), ("新锐", "xinrui"), ("东方", "dongfang"), ("金石", "jinshi"), ("蓝海", "lanhai"),
        ("智联", "zhilian"), ("汇德", "huide"), ("长青", "changqing"), ("鼎盛", "dingsheng"), ("海纳", "haina"), ("盛世", "shengshi"),
    ];
    private static readonly (string Industry, string Suffix)[] IndustryNames =
    [
        ("manufacturing", "精密制造"), ("internet", "网络科技"), ("retail", "商贸"), ("finance", "金融服务"), ("healthcare", "医疗器械"),
        ("education", "教育科技"), ("logistics", "供应链管理"), ("energy", "新能源"), ("software", "信息技术"), ("construction", "建设工程"),
    ];
    private static readonly string[] Titles = ["总经理", "采购经理", "IT 主管", "财务总监", "运营总监", "市场部经理", "信息中心主任"];
    private static readonly string[] Statuses = [CustomerStatuses.New, CustomerStatuses.Cooperating, CustomerStatuses.Active, CustomerStatuses.Active, CustomerStatuses.Silent, CustomerStatuses.Lost];
    private static readonly string[] Sizes = ["lt50", "50-200", "200-500", "500plus"];

    /// <summary>
    /// In step with the reminder rules: customers in an active status were contacted within the last
    /// two days (so the "not contacted for 3 days" rule has nothing to do at start); silent and lost ones long ago.
    /// </summary>
    private static DateTime? LastContact(Faker faker, string status, DateTime now) => status switch
    {
        CustomerStatuses.Silent or CustomerStatuses.Lost => faker.Random.Bool(0.8f) ? now.AddDays(-faker.Random.Number(10, 120)) : null,
        _ => now.AddMinutes(-faker.Random.Number(10, 2 * 24 * 60)),
    };

    /// <param name="serviceDesk">Also the demo support groups and tickets (<see cref="DemoServiceDesk"/>); tests that build their own desk leave them out.</param>
    public static async Task SeedAsync(CrmDbContext db, int customerCount, TimeProvider time, bool serviceDesk, CancellationToken cancellationToken)
    {
        foreach (var (kind, items) in Dictionaries)
        {
            db.DictionaryItems.AddRange(items.Select((item, i) => new DictionaryItem { Kind = kind, Code = item.Code, LabelZh = item.Zh, LabelEn = item.En, Order = i }));
        }
        var interests = new TagGroup { Name = "兴趣方向", Order = 0 };
        var traits = new TagGroup { Name = "决策特征", Order = 1 };
        var tags = new[]
        {
            new Tag { GroupId = interests.Id, Name = "对云服务感兴趣", Color = "Info" },
            new Tag { GroupId = interests.Id, Name = "关注数据安全", Color = "Primary" },
            new Tag { GroupId = traits.Id, Name = "决策周期长", Color = "Warning" },
            new Tag { GroupId = traits.Id, Name = "价格敏感", Color = "Error" },
            new Tag { GroupId = traits.Id, Name = "行业影响力前十", Color = "Success" },
        };
        db.TagGroups.AddRange(interests, traits);
        db.Tags.AddRange(tags);
        var listed = new CustomFieldDefinition { LabelZh = "上市公司", LabelEn = "Listed company", Type = CustomFieldType.YesNo, Order = 0 };
        db.CustomFields.Add(listed);

        var team = new Team { Name = "华东销售一组" };
        db.Teams.Add(team);
        var users = Users.Select(u => new AppUser
        {
            ExternalId = u.ExternalId,
            DisplayName = u.Name,
            Email = $"{u.ExternalId}@crmblazor.local",
            Roles = u.Role.ToString(),
        }).ToList();
        db.Users.AddRange(users);
        var owners = users.Where(u => u.RoleSet.Contains(Role.Supervisor) || u.RoleSet.Contains(Role.SalesRep)).ToList();
        db.TeamMemberships.AddRange(owners.Select(u => new TeamMembership
        {
            TeamId = team.Id, UserId = u.Id, IsSupervisor = u.RoleSet.Contains(Role.Supervisor), Source = MembershipSource.Manual,
        }));
        await db.SaveChangesAsync(cancellationToken);

        var faker = new Faker("zh_CN") { Random = new Randomizer(20240101) };
        var now = time.GetUtcNow().UtcDateTime;
        var year = time.GetLocalNow().Year;
        var usedNames = new HashSet<string>();
        for (var i = 1; i <= customerCount; i++)
        {
            var (brand, pinyin) = faker.PickRandom(Brands);
            var (industry, suffix) = faker.PickRandom(IndustryNames);
            var (city, province, districts) = faker.PickRandom(Cities);
            var name = $"{city}{brand}{suffix}有限公司";
            var status = faker.PickRandom(Statuses);
            if (!usedNames.Add(name))
            {
                name = $"{city}{brand}{suffix}股份有限公司";
                usedNames.Add(name);
            }
            var customer = new Customer
            {
                Number = CustomerNumbers.Format(year, i),
                Name = name,
                Industry = industry,
                Size = faker.PickRandom(Sizes),
                Province = province,
                City = city,
                District = faker.PickRandom(districts),
                Street = $"{faker.PickRandom("科技", "创新", "人民", "建设", "中山")}路{faker.Random.Number(1, 999)}号",
                Website = $"https://www.{pinyin}.com.cn",
                Status = status,
                LastContactAt = LastContact(faker, status, now),
                OwnerId = owners[i % owners.Count].Id,
                Contacts =
                [
                    new Contact
                    {
                        Name = faker.Name.LastName() + faker.Name.FirstName(),
                        Title = faker.PickRandom(Titles),
                        Mobile = "1" + faker.PickRandom("3", "5", "7", "8", "9") + faker.Random.ReplaceNumbers("#########"),
                        Email = $"{faker.Random.AlphaNumeric(6)}@{pinyin}.com.cn",
                        IsKey = true,
                    },
                ],
            };
            if (faker.Random.Bool(0.3f))
            {
                customer.Contacts.Add(new Contact { Name = faker.Name.LastName() + faker.Name.FirstName(), Title = faker.PickRandom(Titles), Email = $"{faker.Random.AlphaNumeric(5)}@{pinyin}.com.cn" });
            }
            foreach (var tag in faker.PickRandom(tags, faker.Random.Number(0, 2)))
            {
                customer.Tags.Add(new CustomerTag { CustomerId = customer.Id, TagId = tag.Id });
            }
            if (faker.Random.Bool(0.5f))
            {
                customer.CustomValues.Add(new CustomFieldValue { CustomerId = customer.Id, FieldId = listed.Id, YesNo = faker.Random.Bool(0.3f) });
            }
            db.Customers.Add(customer);
            db.CustomerSearchTokens.AddRange(CustomerSearch.TokensOf(customer, customer.Contacts)
                .Select(t => new CustomerSearchToken { CustomerId = customer.Id, Kind = t.Kind, Token = t.Token }));
        }
        db.NumberSequences.Add(new NumberSequence { Key = $"CRM{year}", Last = customerCount });
        db.TierSettings.Add(new Tiering.TierSettings { InfluenceTagId = tags[4].Id });
        await db.SaveChangesAsync(cancellationToken);
        var orders = SeedOrders(db, faker, DateOnly.FromDateTime(time.GetLocalNow().DateTime));
        var demands = await SeedDemandsAsync(db, faker, now, year, cancellationToken);
        await SeedTiersAsync(db, orders, demands, tags[4].Id, now, DateOnly.FromDateTime(time.GetLocalNow().DateTime), cancellationToken);
        if (serviceDesk)
        {
            await DemoServiceDesk.SeedAsync(db, users, now, year, cancellationToken);
        }
    }

    /// <summary>Orders for most customers: a few strategic accounts renewing for years, mid-sized and small ones, and some without any yet.</summary>
    private static ILookup<Guid, Tiering.Order> SeedOrders(CrmDbContext db, Faker faker, DateOnly today)
    {
        var orders = new List<Tiering.Order>();
        var number = 0;
        foreach (var customer in db.Customers.Local.OrderBy(c => c.Number))
        {
            var (count, low, high) = faker.Random.Number(0, 19) switch
            {
                < 2 => (faker.Random.Number(3, 4), 300_000, 800_000),
                < 7 => (faker.Random.Number(2, 3), 120_000, 400_000),
                < 13 => (faker.Random.Number(1, 2), 30_000, 150_000),
                _ => (0, 0, 0),
            };
            for (var k = 0; k < count; k++)
            {
                orders.Add(new Tiering.Order
                {
                    CustomerId = customer.Id,
                    Number = $"HT{today.Year}-{++number:00000}",
                    SignedOn = today.AddYears(k - count + 1).AddDays(-faker.Random.Number(5, 200)),
                    Amount = faker.Random.Number(low / 1000, high / 1000) * 1000,
                    Product = faker.PickRandom("CRM 标准版年度订阅", "数据看板定制开发", "实施与培训服务", "API 扩容包", "专属客户成功服务"),
                    IsRenewal = k > 0 && faker.Random.Bool(0.85f),
                });
            }
        }
        db.Orders.AddRange(orders);
        return orders.ToLookup(o => o.CustomerId);
    }

    /// <summary>
    /// Each customer's tier from the default rules and its seeded figures, as the monthly evaluation would
    /// give it; written in place (the rows were created a moment ago, and their audit says so already).
    /// </summary>
    private static async Task SeedTiersAsync(CrmDbContext db, ILookup<Guid, Tiering.Order> orders, IReadOnlyDictionary<Guid, DateTime> demands, Guid influenceTag,
        DateTime now, DateOnly today, CancellationToken cancellationToken)
    {
        var rules = new Tiering.TierRuleSet(Tiering.TierRule.Defaults());
        var tiers = db.Customers.Local.Select(customer =>
        {
            var figures = Tiering.OrderService.FiguresOf(orders[customer.Id].ToList(), today);
            var evaluated = rules.Evaluate(new Tiering.TierFigures(figures.Last12Months, figures.Years, figures.RenewalRate,
                customer.Tags.Any(t => t.TagId == influenceTag), demands.TryGetValue(customer.Id, out var at) ? at : null), now);
            return (customer.Id, Tier: evaluated?.Tier);
        }).ToList();
        foreach (var group in tiers.GroupBy(t => t.Tier))
        {
            var ids = group.Select(t => t.Id).ToList();
            await db.Customers.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, group.Key), cancellationToken);
        }
    }

    private static readonly string[] DemandDescriptions =
    [
        "需要定制化数据看板，支持实时销售数据展示", "希望增加员工培训服务，覆盖新入职的 30 名销售", "报表导出速度慢，需优化月度报表生成时间",
        "申请开通移动端审批功能", "对接现有 ERP 系统的订单数据", "增加数据安全审计，满足等保三级要求", "续约合同需调整付款周期为季度付款",
        "希望提供专属客户成功经理", "API 调用量上限需提升至每日 50 万次", "新增华南区域的账号与权限配置",
    ];

    private static readonly string[] TaskNames = ["调研客户需求细节", "输出解决方案", "内部评审", "客户演示", "上线部署"];

    /// <summary>A demand on every other customer, spread over the board; none past its deadline yet, so a fresh demo starts without breaches.</summary>
    private static async Task<IReadOnlyDictionary<Guid, DateTime>> SeedDemandsAsync(CrmDbContext db, Faker faker, DateTime now, int year, CancellationToken cancellationToken)
    {
        var raised = new Dictionary<Guid, DateTime>();
        var calendar = new WorkingTime.WorkingCalendar(TimeZoneInfo.FindSystemTimeZoneById(new Common.CompanyOptions().TimeZone), new TimeOnly(9, 0), new TimeOnly(18, 0), new Dictionary<DateOnly, bool>());
        var customers = await db.Customers.OrderBy(c => c.Number).Select(c => new { c.Id, c.OwnerId }).ToListAsync(cancellationToken);
        var number = 0;
        foreach (var customer in customers.Where((_, i) => i % 2 == 0))
        {
            var status = (Demands.DemandStatus)((number + number / 3) % 3); // each owner gets every state but closed: a closed demand carries the customer's confirmation
            var priority = faker.PickRandom<Demands.DemandPriority>();
            var created = now.AddHours(-faker.Random.Number(1, 12));
            var demand = new Demands.Demand
            {
                Number = $"DE{year}{++number:0000}",
                CustomerId = customer.Id,
                Description = faker.PickRandom(DemandDescriptions),
                Type = faker.PickRandom("existing", "potential"),
                Priority = priority,
                Status = status,
                OwnerId = customer.OwnerId!.Value,
                ResponseDueAt = calendar.ResponseDeadline(priority, created),
                RespondedAt = status == Demands.DemandStatus.Open ? null : created.AddMinutes(30),
            };
            if (status != Demands.DemandStatus.Open)
            {
                demand.Tasks.AddRange(TaskNames.Take(faker.Random.Number(1, 4)).Select((name, i) => new Demands.DemandTask
                {
                    Name = name,
                    OwnerId = customer.OwnerId!.Value,
                    PlannedAt = now.Date.AddDays(i * 2 + 1).AddHours(10),
                    Status = i == 0 ? Demands.DemandTaskStatus.Done : i == 1 ? Demands.DemandTaskStatus.InProgress : Demands.DemandTaskStatus.ToDo,
                    DoneAt = i == 0 ? now.AddHours(-1) : null,
                }));
            }
            db.Demands.Add(demand);
            raised[customer.Id] = created;
        }
        db.NumberSequences.Add(new NumberSequence { Key = $"demand:{year}", Last = number });
        await db.SaveChangesAsync(cancellationToken);
        return raised;
    }
}
