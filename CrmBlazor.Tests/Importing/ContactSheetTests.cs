using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// Issue 17's contacts-only sheets: a team's list of people, each naming a customer already in the CRM by our number, the
/// sheet's own number or the exact name, through the same engine (mapping, cleaning, preview, batches, audit).
/// </summary>
public sealed class ContactSheetTests
{
    private static readonly string[] Headings = ["所属公司", "客户编码", "姓名", "职位", "手机号", "办公电话", "电子邮箱", "是否关键联系人"];

    private static object?[][] Rows(string numberOfA) =>
    [
        ["苏州恒信精密制造有限公司", null, "王敏", "采购经理", "138 0013 8001", null, "wangmin@example.cn", "是"], // row 4: by exact name
        [null, numberOfA, "张三", "总经理", "13800000009", null, null, null],                                    // row 5: A's own 张三
        [null, "C002", "李雷", null, "0571-8888 6666", null, null, "否"],                                           // row 6: by the sheet's number; a landline
        ["重名贸易有限公司", null, "赵六", null, "13700137000", null, null, null],                                  // row 7: two customers have that name
        ["不存在的公司", null, "钱七", null, "13600136000", null, null, null],                                      // row 8: no such customer
        ["苏州恒信精密制造有限公司", null, "王敏", null, null, null, null, null],                                   // row 9: row 4 again
        [null, numberOfA, null, null, "13500135000", null, null, "是"],                                              // row 10: nobody
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task People_join_their_customers_by_number_code_or_name_and_importing_again_updates_them(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 2, 0, 0, TimeSpan.Zero)));
        var admin = await harness.DemoUserAsync("demo-admin");
        var customers = harness.Get<CustomerService>(admin);
        var a = await customers.CreateAsync(CustomerInputs.New("苏州恒信精密制造有限公司"), new ContactInput("张三", Mobile: "13800000001"));
        var b = await customers.CreateAsync(CustomerInputs.New("杭州云帆网络科技有限公司"), new ContactInput("韩梅", Mobile: "13800000002"));
        var twin1 = await customers.CreateAsync(CustomerInputs.New("重名贸易一号有限公司"), new ContactInput("孙一", Mobile: "13800000003"));
        var twin2 = await customers.CreateAsync(CustomerInputs.New("重名贸易二号有限公司"), new ContactInput("孙二", Mobile: "13800000004"));
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.Where(c => c.Id == b.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExternalCode, "C002"));
            await db.Customers.Where(c => c.Id == twin1.Id || c.Id == twin2.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, "重名贸易有限公司"));
        }
        var import = harness.Get<CustomerImport>(admin);

        var columns = await import.InspectAsync("联系人.xlsx", LegacySheet("客户联系人名单", Headings, Rows(a.Number)), ImportKind.Contacts, ImportMode.CreateOnly);
        Assert.Equal(["客户名称", "客户编号", "联系人", "职务", "手机", "座机", "邮箱", "关键联系人"], columns.Columns.Select(c => c.Target));
        var check = await import.CheckAsync(columns.JobId, columns.Map);

        Assert.Equal((2, 0, 5), (check.Job.ToCreate, check.Job.ToUpdate, check.Job.ErrorRows));
        Assert.Equal(new Dictionary<int, string>
        {
            [5] = $"客户 {a.Number} 已有联系人 张三：要更新，请选择“新增，并更新客户已有的联系人”",
            [7] = "有 2 个客户叫“重名贸易有限公司”：请填写客户编号",
            [8] = "找不到客户“不存在的公司”：联系人只能加到已有客户上",
            [9] = "与第 4 行是同一客户的同一联系人",
            [10] = "缺少联系人姓名",
        }, check.FailingRows.ToDictionary(r => r.RowNumber, r => r.Reasons(true)));
        Assert.Equal(1, check.Cleanings[ImportCleaningKind.LandlineMoved]);

        var done = await import.RunAsync(check.Job.Id);
        Assert.Equal((2, 0, 5), (done.Imported, done.Updated, done.Skipped));
        await using (var db = harness.NewSystemContext())
        {
            var wang = await db.Contacts.AsNoTracking().SingleAsync(k => k.CustomerId == a.Id && k.Name == "王敏");
            Assert.Equal(("采购经理", "13800138001", "wangmin@example.cn", true), (wang.Title, wang.Mobile, wang.Email, wang.IsKey));
            var li = await db.Contacts.AsNoTracking().SingleAsync(k => k.CustomerId == b.Id && k.Name == "李雷");
            Assert.Null(li.Mobile);
            Assert.Contains("8888", li.Landline, StringComparison.Ordinal);
            Assert.False(li.IsKey);
            // Each person added is audited under the importer's name, and their customers moved on.
            var audited = await db.AuditEntries.AsNoTracking().Where(e => e.EntityType == nameof(Contact) && e.Action == AuditAction.Create
                && (e.EntityId == wang.Id.ToString() || e.EntityId == li.Id.ToString())).Select(e => e.UserName).ToListAsync();
            Assert.Equal([admin.DisplayName, admin.DisplayName], audited);
            Assert.True(await db.Customers.AsNoTracking().Where(c => c.Id == a.Id).Select(c => c.Version).SingleAsync() > a.Version);
        }
        var found = await harness.Get<CustomerQueries>(admin).ListAsync(new CustomerFilter { Search = "13800138001" }, 0, 10);
        Assert.Equal([a.Id], found.Items.Select(c => c.Id)); // the new mobile finds its customer

        // The same sheet, create and update: the people it already has are updated, none is added twice.
        var again = await import.PrepareAsync("联系人.xlsx", LegacySheet("客户联系人名单", Headings, Rows(a.Number)), ImportKind.Contacts, ImportMode.CreateOrUpdate);
        Assert.Equal((0, 3, 4), (again.Job.ToCreate, again.Job.ToUpdate, again.Job.ErrorRows));
        await import.RunAsync(again.Job.Id);
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(["张三", "王敏"], await db.Contacts.AsNoTracking().Where(k => k.CustomerId == a.Id).OrderBy(k => k.Name).Select(k => k.Name).ToListAsync());
            Assert.Equal(["李雷", "韩梅"], await db.Contacts.AsNoTracking().Where(k => k.CustomerId == b.Id).OrderBy(k => k.Name).Select(k => k.Name).ToListAsync());
            var zhang = await db.Contacts.AsNoTracking().SingleAsync(k => k.CustomerId == a.Id && k.Name == "张三");
            Assert.Equal(("总经理", "13800000009", true), (zhang.Title, zhang.Mobile, zhang.IsKey)); // still key: an import never takes it away
        }
    }

    [Fact]
    public async Task A_supervisor_cannot_add_people_to_a_customer_outside_their_teams()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 2, 0, 0, TimeSpan.Zero)));
        var admin = await harness.DemoUserAsync("demo-admin");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var theirs = await harness.Get<CustomerService>(admin).CreateAsync(CustomerInputs.New("无锡管理员客户有限公司"), new ContactInput("周一", Mobile: "13800000011"));
        var mine = await harness.Get<CustomerService>(supervisor).CreateAsync(CustomerInputs.New("无锡主管自己的客户有限公司"), new ContactInput("周二", Mobile: "13800000012"));
        var import = harness.Get<CustomerImport>(supervisor);

        var preview = await import.PrepareAsync("联系人.xlsx", Xlsx(
        [
            new Dictionary<string, object?> { ["客户编号"] = theirs.Number, ["联系人"] = "吴三", ["手机"] = "13900139001" },
            new Dictionary<string, object?> { ["客户编号"] = mine.Number, ["联系人"] = "吴四", ["手机"] = "13900139002" },
        ]), ImportKind.Contacts, ImportMode.CreateOnly);
        await import.RunAsync(preview.Job.Id);

        Assert.Equal("客户“" + theirs.Number + "”不在你的权限范围内", preview.FailingRows.Single().Reasons(true));
        await using var db = harness.NewSystemContext();
        Assert.Equal(["吴四"], await db.Contacts.AsNoTracking().Where(k => k.Name == "吴三" || k.Name == "吴四").Select(k => k.Name).ToListAsync());
    }
}
