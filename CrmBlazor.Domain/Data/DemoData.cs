using Bogus;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// Deterministic demo data: one user per role (two sales reps in one team, so record scope shows),
/// and realistic Chinese companies with key contacts. The same seed gives the same data every time.
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
        ("demo-analyst", "赵磊", Role.Analyst),
    ];

    private static readonly string[] Cities = ["上海", "北京", "深圳", "杭州", "苏州", "南京", "成都", "武汉", "广州", "西安", "青岛", "宁波", "厦门", "合肥", "长沙"];
    private static readonly (string Brand, string Pinyin)[] Brands =
    [
        ("云帆", "yunfan"), ("华信", "huaxin"), ("启明", "qiming"), ("博远", "boyuan"), ("中科", "zhongke"), ("瑞丰", "ruifeng"),
        ("天衡", "tianheng"), ("恒通", "hengtong"), ("新锐", "xinrui"), ("东方", "dongfang"), ("金石", "jinshi"), ("蓝海", "lanhai"),
        ("智联", "zhilian"), ("汇德", "huide"), ("长青", "changqing"), ("鼎盛", "dingsheng"), ("海纳", "haina"), ("盛世", "shengshi"),
    ];
    private static readonly (string Industry, string Suffix)[] Industries =
    [
        ("manufacturing", "精密制造"), ("internet", "网络科技"), ("retail", "商贸"), ("finance", "金融服务"), ("healthcare", "医疗器械"),
        ("education", "教育科技"), ("logistics", "供应链管理"), ("energy", "新能源"), ("software", "信息技术"), ("construction", "建设工程"),
    ];
    private static readonly string[] Titles = ["总经理", "采购经理", "IT 主管", "财务总监", "运营总监", "市场部经理", "信息中心主任"];
    private static readonly string[] Statuses = [CustomerStatuses.New, CustomerStatuses.Cooperating, CustomerStatuses.Active, CustomerStatuses.Active, CustomerStatuses.Silent, CustomerStatuses.Lost];

    public static async Task SeedAsync(CrmDbContext db, int customerCount, TimeProvider time, CancellationToken cancellationToken)
    {
        var team = new Team { Name = "华东销售一组" };
        db.Teams.Add(team);
        var users = Users.Select(u => new AppUser
        {
            ExternalId = u.ExternalId,
            DisplayName = u.Name,
            Email = $"{u.ExternalId}@crmblazor.local",
            Roles = u.Role.ToString(),
            TeamId = u.Role is Role.Supervisor or Role.SalesRep ? team.Id : null,
        }).ToList();
        db.Users.AddRange(users);
        await db.SaveChangesAsync(cancellationToken);

        var owners = users.Where(u => u.TeamId == team.Id).ToList();
        var faker = new Faker("zh_CN") { Random = new Randomizer(20240101) };
        var year = time.GetLocalNow().Year;
        var usedNames = new HashSet<string>();
        for (var i = 1; i <= customerCount; i++)
        {
            var (brand, pinyin) = faker.PickRandom(Brands);
            var (industry, suffix) = faker.PickRandom(Industries);
            var city = faker.PickRandom(Cities);
            var name = $"{city}{brand}{suffix}有限公司";
            if (!usedNames.Add(name))
            {
                name = $"{city}{brand}{suffix}股份有限公司";
                usedNames.Add(name);
            }
            db.Customers.Add(new Customer
            {
                Number = CustomerNumbers.Format(year, i),
                Name = name,
                Industry = industry,
                Region = city,
                Status = faker.PickRandom(Statuses),
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
            });
        }
        db.NumberSequences.Add(new NumberSequence { Key = $"CRM{year}", Last = customerCount });
        await db.SaveChangesAsync(cancellationToken);
    }
}
