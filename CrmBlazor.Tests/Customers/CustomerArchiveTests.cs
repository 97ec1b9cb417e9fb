using System.Globalization;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Server;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Customers;

/// <summary>SPEC B1–B5 through the Domain services, on a real database.</summary>
public sealed class CustomerArchiveTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Twenty_concurrent_creates_get_twenty_distinct_consecutive_numbers(DatabaseProvider provider)
    {
        // New Year's Eve 16:30 UTC is already 1 January in Shanghai: numbers take the company's year.
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 12, 31, 16, 30, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: clock);
        var admin = await harness.DemoUserAsync("demo-admin");

        var created = await Task.WhenAll(Enumerable.Range(1, 20).Select(i =>
            harness.Get<CustomerService>(admin).CreateAsync(CustomerInputs.New($"并发创建测试{i}有限公司"), new ContactInput($"联系人{i}"))));

        var expected = Enumerable.Range(1, 20).Select(n => CustomerNumbers.Format(2031, n)).ToList();
        Assert.Equal(expected, created.Select(c => c.Number).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Numbers_widen_past_999_and_keep_sorting_by_year()
    {
        Assert.Equal("CRM2024001", CustomerNumbers.Format(2024, 1));
        Assert.Equal("CRM2024999", CustomerNumbers.Format(2024, 999));
        Assert.Equal("CRM20241000", CustomerNumbers.Format(2024, 1000));
    }

    public static TheoryData<string, string?, string?, string?, string> InvalidInputs => new()
    {
        // name, mobile, e-mail, landline, the field that is refused
        { "", "13800138000", null, null, "Name" },
        { "杭州测试有限公司", "12345", null, null, "KeyContact.Mobile" },
        { "杭州测试有限公司", "1380013800", null, null, "KeyContact.Mobile" },
        { "杭州测试有限公司", "13800138000", "not-an-email", null, "KeyContact.Email" },
        { "杭州测试有限公司", "13800138000", "zhou@localhost", null, "KeyContact.Email" },
        { "杭州测试有限公司", null, null, "12", "KeyContact.Landline" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Invalid_input_is_refused_field_by_field_and_nothing_is_saved(string name, string? mobile, string? email, string? landline, string field)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 2);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var before = await CountsAsync(harness);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            harness.Get<CustomerService>(rep).CreateAsync(CustomerInputs.New(name), new ContactInput("周杰", Mobile: mobile, Email: email, Landline: landline)));

        Assert.Contains(refused.Errors, e => e.Field == field);
        Assert.Equal(before, await CountsAsync(harness));
    }

    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("+44 7911 123456", "+447911123456")]
    public async Task Valid_mobiles_are_stored_normalised(string typed, string stored)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");

        var created = await harness.Get<CustomerService>(rep).CreateAsync(CustomerInputs.New("深圳号码测试有限公司"), new ContactInput("王磊", Mobile: typed, Landline: "010-62345678", Email: "Wang@Example.COM.cn"));

        var contact = Assert.Single(created.Contacts);
        Assert.Equal(stored, contact.Mobile);
        Assert.Equal("wang@example.com.cn", contact.Email);
        Assert.NotNull(contact.Landline);
    }

    [Fact]
    public async Task A_missing_required_custom_field_is_refused_with_a_localized_message()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        var admin = await harness.DemoUserAsync("demo-admin");
        var budget = await harness.Get<CustomFieldService>(admin).CreateAsync(new CustomFieldInput("预算区间", "Budget range", CustomFieldType.SingleSelect, ["10万以下", "10–50万"], IsRequired: true, Order: 1));
        var before = await CountsAsync(harness);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            harness.Get<CustomerService>(admin).CreateAsync(CustomerInputs.New("成都字段测试有限公司"), new ContactInput("李娜")));

        var error = Assert.Single(refused.Errors);
        Assert.Equal(CustomFieldRules.FieldKey(budget.Id), error.Field);
        Assert.Equal("“预算区间”为必填项。", InCulture("zh-CN", l => UserErrors.FieldMessage(l, error)));
        Assert.Equal("Budget range is required.", InCulture("en", l => UserErrors.FieldMessage(l, error)));
        Assert.Equal(before, await CountsAsync(harness));

        var saved = await harness.Get<CustomerService>(admin).CreateAsync(
            CustomerInputs.New("成都字段测试有限公司") with { CustomValues = [new CustomValue(budget.Id, Text: "10–50万")] }, new ContactInput("李娜"));
        Assert.Equal("10–50万", Assert.Single(saved.CustomValues).Text);
        var wrongChoice = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<CustomerService>(admin).UpdateAsync(saved.Id, saved.Version,
            CustomerInputs.From(saved) with { CustomValues = [new CustomValue(budget.Id, Text: "一个亿")] }));
        Assert.Equal("Validation.CustomFieldOption", Assert.Single(wrongChoice.Errors).MessageKey);
    }

    [Fact]
    public void A_mobile_error_reads_in_Chinese_for_a_Chinese_user()
    {
        var error = new ValidationError("KeyContact.Mobile", "Validation.MobileInvalid", "fallback", "12345");

        Assert.StartsWith("“12345”不是有效的手机号", InCulture("zh-CN", l => UserErrors.FieldMessage(l, error)), StringComparison.Ordinal);
        Assert.StartsWith("12345 is not a valid mobile number", InCulture("en", l => UserErrors.FieldMessage(l, error)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_change_needs_a_reason_and_then_appears_on_the_timeline()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var customer = await FirstOwnedAsync(harness, rep);
        var target = customer.Status == CustomerStatuses.Lost ? CustomerStatuses.Active : CustomerStatuses.Lost;
        var service = harness.Get<CustomerService>(rep);

        var noReason = await Assert.ThrowsAsync<ValidationFailedException>(() => service.ChangeStatusAsync(customer.Id, customer.Version, target, "  "));
        Assert.Equal("Validation.StatusReasonRequired", Assert.Single(noReason.Errors).MessageKey);
        await Assert.ThrowsAsync<ValidationFailedException>(() => service.ChangeStatusAsync(customer.Id, customer.Version, "no-such-status", "试试"));

        await service.ChangeStatusAsync(customer.Id, customer.Version, target, "客户已转向竞争对手");

        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(customer.Id);
        Assert.Equal(target, profile.Customer.Status);
        var entry = profile.Timeline.First(e => e.Kind == LifecycleTimelineSource.StatusChanged);
        Assert.Equal([customer.Status, target], entry.Values);
        Assert.Equal("客户已转向竞争对手", entry.Detail);
        Assert.Equal(rep.DisplayName, entry.Actor);
        Assert.Contains(profile.Timeline, e => e.Kind == LifecycleTimelineSource.Created);
    }

    [Fact]
    public async Task A_dictionary_item_in_use_cannot_be_deleted_and_once_deactivated_leaves_new_choices_but_labels_old_records()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 10);
        var admin = await harness.DemoUserAsync("demo-admin");
        var dictionaries = harness.Get<DictionaryService>(admin);
        var customer = await FirstOwnedAsync(harness, await harness.DemoUserAsync("demo-salesrep"));
        var used = (await dictionaries.ListAsync(DictionaryKind.Industry)).Single(i => i.Code == customer.Industry);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => dictionaries.DeleteAsync(used.Id));
        Assert.Equal("Validation.DictionaryItemInUse", Assert.Single(refused.Errors).MessageKey);

        await dictionaries.UpdateAsync(used.Id, used.Version, new DictionaryItemInput(used.Code, used.LabelZh, used.LabelEn, used.Order), isActive: false);

        Assert.DoesNotContain(await dictionaries.ListAsync(DictionaryKind.Industry), i => i.Code == used.Code);
        Assert.Contains(await dictionaries.ListAsync(DictionaryKind.Industry, includeInactive: true), i => i.Code == used.Code && !i.IsActive);
        // Old record keeps the code and can still be saved unchanged; a new record cannot pick it.
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await harness.Get<CustomerService>(rep).UpdateAsync(customer.Id, customer.Version, CustomerInputs.From(customer) with { Notes = "仍用旧行业" });
        var newOne = await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<CustomerService>(rep).CreateAsync(CustomerInputs.New("新公司有限公司") with { Industry = used.Code }, new ContactInput("赵六")));
        Assert.Equal("Validation.DictionaryValueUnknown", Assert.Single(newOne.Errors).MessageKey);

        var unused = await dictionaries.CreateAsync(DictionaryKind.Industry, new DictionaryItemInput("agriculture", "农业", "Agriculture", 99));
        await dictionaries.DeleteAsync(unused.Id);
        Assert.DoesNotContain(await dictionaries.ListAsync(DictionaryKind.Industry, includeInactive: true), i => i.Code == "agriculture");
    }

    [Fact]
    public async Task Only_Admin_changes_dictionaries()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            harness.Get<DictionaryService>(supervisor).CreateAsync(DictionaryKind.Industry, new DictionaryItemInput("x", "某", "X", 1)));
    }

    [Fact]
    public async Task A_contact_who_leaves_is_kept_and_the_last_key_contact_cannot_leave()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var service = harness.Get<CustomerService>(rep);
        var customer = await service.CreateAsync(CustomerInputs.New("苏州联系人测试有限公司"), new ContactInput("钱伟", Mobile: "13912345678"));
        var key = Assert.Single(customer.Contacts);

        var last = await Assert.ThrowsAsync<ValidationFailedException>(() => service.MarkContactLeftAsync(key.Id, key.Version));
        Assert.Equal("Validation.LastKeyContact", Assert.Single(last.Errors).MessageKey);

        var second = await service.AddContactAsync(customer.Id, new ContactInput("孙丽", Email: "sun@example.com.cn", IsKey: true));
        var left = await service.MarkContactLeftAsync(key.Id, key.Version);

        Assert.True(left.HasLeft);
        Assert.False(left.IsKey);
        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(customer.Id);
        Assert.Equal(2, profile.Customer.Contacts.Count);
        Assert.Contains(profile.Customer.Contacts, c => c.Id == second.Id && c.IsKey);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_search_box_finds_by_number_name_contact_name_mobile_and_email_within_scope(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 30);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var mine = await harness.Get<CustomerService>(rep).CreateAsync(CustomerInputs.New("青岛海纳搜索测试有限公司"), new ContactInput("欧阳娜娜", Mobile: "13711112222", Email: "nana@haina-search.cn"));
        var queries = harness.Get<CustomerQueries>(rep);

        foreach (var term in new[] { mine.Number, "海纳搜索", "欧阳", "1371111", "nana@haina" })
        {
            var found = await queries.ListAsync(new CustomerFilter { Search = term }, 0, 10);
            Assert.Contains(found.Items, i => i.Id == mine.Id);
            Assert.Equal(found.TotalCount, await queries.CountAsync(new CustomerFilter { Search = term }));
        }
        var supervisorsOwn = await harness.Get<CustomerService>(await harness.DemoUserAsync("demo-supervisor"))
            .CreateAsync(CustomerInputs.New("青岛海纳主管客户有限公司"), new ContactInput("周舟"));
        Assert.DoesNotContain((await queries.ListAsync(new CustomerFilter { Search = "海纳主管" }, 0, 10)).Items, i => i.Id == supervisorsOwn.Id);

        // The search keys follow edits: a renamed customer is found by its new name only.
        var renamed = await harness.Get<CustomerService>(rep).UpdateAsync(mine.Id, mine.Version, CustomerInputs.From(mine) with { Name = "青岛北辰改名测试有限公司" });
        Assert.Empty((await queries.ListAsync(new CustomerFilter { Search = "海纳搜索" }, 0, 10)).Items);
        Assert.Equal([renamed.Id], (await queries.ListAsync(new CustomerFilter { Search = "北辰改名" }, 0, 10)).Items.Select(i => i.Id));
        Assert.Contains((await queries.ListAsync(new CustomerFilter { Search = "欧阳" }, 0, 10)).Items, i => i.Id == mine.Id);
    }

    [Fact]
    public async Task Filters_and_sorting_work_on_dictionary_columns_tags_last_contact_and_custom_fields()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 60);
        var admin = await harness.DemoUserAsync("demo-admin");
        var queries = harness.Get<CustomerQueries>(admin);
        await using var db = harness.NewSystemContext();
        var all = await db.Customers.AsNoTracking().Include(c => c.Tags).Include(c => c.CustomValues).ToListAsync();

        var industry = (await queries.ListAsync(new CustomerFilter { Industries = ["finance", "retail"] }, 0, 500)).Items;
        Assert.Equal(all.Count(c => c.Industry is "finance" or "retail"), industry.Count);
        Assert.All(industry, i => Assert.Contains(i.Industry, new[] { "finance", "retail" }));

        var tagId = all.SelectMany(c => c.Tags).GroupBy(t => t.TagId).OrderByDescending(g => g.Count()).First().Key;
        var tagged = await queries.CountAsync(new CustomerFilter { TagIds = [tagId] });
        Assert.Equal(all.Count(c => c.Tags.Any(t => t.TagId == tagId)), tagged);

        var since = DateTime.UtcNow.AddDays(-30);
        Assert.Equal(all.Count(c => c.LastContactAt >= since), await queries.CountAsync(new CustomerFilter { LastContactFrom = since }));
        Assert.Equal(all.Count(c => c.LastContactAt == null), await queries.CountAsync(new CustomerFilter { NeverContacted = true }));

        var listed = await db.CustomFields.SingleAsync();
        Assert.Equal(all.Count(c => c.CustomValues.Any(v => v.FieldId == listed.Id && v.YesNo == true)),
            await queries.CountAsync(new CustomerFilter { CustomFields = [new CustomFieldFilter(listed.Id, YesNo: true)] }));

        var byListed = (await queries.ListAsync(new CustomerFilter { Sort = CustomerSort.CustomField, SortFieldId = listed.Id, Descending = true }, 0, 500)).Items
            .Select(i => i.CustomValues.GetValueOrDefault(listed.Id)?.YesNo).ToList();
        Assert.Equal(byListed.OrderDescending(), byListed);
        Assert.True(byListed[0]);

        var byName = (await queries.ListAsync(new CustomerFilter { Sort = CustomerSort.Name, Descending = true }, 0, 500)).Items.Select(i => i.Name).ToList();
        Assert.Equal(all.Select(c => c.Name).OrderDescending(StringComparer.Ordinal), byName);
        var byLastContact = (await queries.ListAsync(new CustomerFilter { Sort = CustomerSort.LastContact }, 0, 500)).Items.Select(i => i.LastContactAt).ToList();
        Assert.Equal(byLastContact.Order(), byLastContact);
        var page2 = await queries.ListAsync(new CustomerFilter(), 1, 25);
        Assert.Equal(all.Select(c => c.Number).Order(StringComparer.Ordinal).Skip(25).Take(25), page2.Items.Select(i => i.Number));
    }

    [Fact]
    public async Task Bulk_tagging_tags_only_the_customers_in_scope_and_tags_filter_the_list()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 30);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var group = await harness.Get<CrmBlazor.Domain.Tags.TagService>(admin).CreateGroupAsync("活动");
        var tag = await harness.Get<CrmBlazor.Domain.Tags.TagService>(admin).CreateTagAsync(group.Id, "2026 年会嘉宾", "Success");
        await using var db = harness.NewSystemContext();
        var mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).Take(3).ToListAsync();
        var notMine = await db.Customers.Where(c => c.OwnerId != rep.UserId).Select(c => c.Id).FirstAsync();

        var tagged = await harness.Get<CustomerService>(rep).AddTagToManyAsync(tag.Id, [.. mine, notMine]);

        Assert.Equal(3, tagged);
        var list = await harness.Get<CustomerQueries>(admin).ListAsync(new CustomerFilter { TagIds = [tag.Id] }, 0, 50);
        Assert.Equal(mine.Order(), list.Items.Select(i => i.Id).Order());
        Assert.All(list.Items, i => Assert.Contains(i.Tags, t => t.Name == "2026 年会嘉宾"));
    }

    [Fact]
    public async Task An_analyst_reads_but_cannot_edit_change_status_or_tag()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 5);
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var customer = await FirstOwnedAsync(harness, await harness.DemoUserAsync("demo-salesrep"));
        var service = harness.Get<CustomerService>(analyst);

        Assert.False((await harness.Get<CustomerQueries>(analyst).GetProfileAsync(customer.Id)).CanEdit);
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.UpdateAsync(customer.Id, customer.Version, CustomerInputs.From(customer)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ChangeStatusAsync(customer.Id, customer.Version, CustomerStatuses.Lost, "分析师试图修改"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.SetTagsAsync(customer.Id, []));
    }

    [Fact]
    public async Task Saved_views_belong_to_their_user()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var filter = new CustomerFilter { Statuses = [CustomerStatuses.Silent], Industries = ["finance"], Sort = CustomerSort.LastContact };

        await harness.Get<SavedViewService>(rep).SaveAsync("沉默的金融客户", filter);
        await harness.Get<SavedViewService>(rep).SaveAsync("沉默的金融客户", filter with { Descending = true });

        var view = Assert.Single(await harness.Get<SavedViewService>(rep).ListAsync());
        Assert.Equal("沉默的金融客户", view.Name);
        Assert.Equal([CustomerStatuses.Silent], view.Filter.Statuses);
        Assert.Equal(["finance"], view.Filter.Industries);
        Assert.Equal(CustomerSort.LastContact, view.Filter.Sort);
        Assert.True(view.Filter.Descending);
        Assert.Empty(await harness.Get<SavedViewService>(other).ListAsync());
        await harness.Get<SavedViewService>(other).DeleteAsync(view.Id);
        Assert.Single(await harness.Get<SavedViewService>(rep).ListAsync());
    }

    private static async Task<Customer> FirstOwnedAsync(DomainHarness harness, TestUser owner)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.AsNoTracking().Include(c => c.CustomValues).FirstAsync(c => c.OwnerId == owner.UserId);
    }

    private static async Task<(int Customers, int Contacts, int Audit)> CountsAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return (await db.Customers.CountAsync(), await db.Contacts.CountAsync(), await db.AuditEntries.CountAsync());
    }

    private static string InCulture(string culture, Func<IStringLocalizer, string> read)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);
            return read(factory.Create(typeof(SharedResource)));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
