using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// Issue 17's cleaning table: each writing of a phone and a date that a team's own sheet uses becomes its normalised
/// value or a clear row problem; a landline typed in the mobile column lands in the landline field; full-width text is
/// made half-width; a value starting with "=" stays text.
/// </summary>
public sealed class ImportCleaningTests
{
    [Theory]
    [InlineData("  华为技术有限公司 ", "华为技术有限公司")]
    [InlineData("ＡＢＣ科技（杭州）１２３", "ABC科技（杭州）123")] // full-width Latin and digits; Chinese brackets stay
    [InlineData("ｗａｎｇ＠ｙｕｎｆａｎ．ｃｎ", "wang@yunfan.cn")]
    [InlineData("\u3000王\u3000芳\u3000", "王 芳")]
    [InlineData("=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")")] // text, never a formula
    [InlineData("\u3000 ", null)]
    public void Text_is_trimmed_and_made_half_width(string cell, string? expected) =>
        Assert.Equal(expected, ImportCleaning.Text(cell));

    [Theory]
    [InlineData("13800138000", "13800138000")]
    [InlineData("138 0013 8000", "13800138000")]
    [InlineData("138-0013-8000", "13800138000")]
    [InlineData("+86 138 0013 8000", "13800138000")]
    [InlineData("+86-13800138000", "13800138000")]
    [InlineData("８６１３８００１３８０００", "13800138000")] // the country code without "+"
    [InlineData("１３８００１３８０００", "13800138000")]
    [InlineData("＋８６ １３８ ００１３ ８０００", "13800138000")]
    [InlineData("1380013800", null)] // one digit short
    public void Mobile_writings_become_eleven_digits_or_a_problem(string cell, string? expected)
    {
        var errors = new List<ValidationError>();
        Assert.Equal(expected, ContactRules.NormalizeMobile(ImportCleaning.Text(cell), "手机", errors));
        Assert.Equal(expected is null, errors.Count == 1);
    }

    [Theory]
    [InlineData("010-88886666", "010 8888 6666")]
    [InlineData("(0571) 8888-6666", "0571 8888 6666")]
    [InlineData("0571 88886666", "0571 8888 6666")]
    [InlineData("+86 21 5555 6666", "021 5555 6666")]
    [InlineData("０２１－５５５５６６６６", "021 5555 6666")]
    [InlineData("88886666", null)] // no area code
    public void Landline_writings_become_the_national_form_or_a_problem(string cell, string? expected)
    {
        var errors = new List<ValidationError>();
        Assert.Equal(expected, ContactRules.NormalizeLandline(ImportCleaning.Text(cell), "座机", errors));
        Assert.Equal(expected is null, errors.Count == 1);
    }

    [Theory]
    [InlineData("010-88886666", null, null, "010-88886666", true)]        // a landline in the mobile column moves
    [InlineData("13800138000", null, "13800138000", null, false)]
    [InlineData("010-88886666", "021-55556666", "010-88886666", "021-55556666", false)] // the landline is taken: stays, judged as a mobile
    [InlineData("12345", null, "12345", null, false)]                     // neither: stays, judged as a mobile
    public void A_phone_goes_to_the_field_its_shape_says(string? mobile, string? landline, string? toMobile, string? toLandline, bool moved) =>
        Assert.Equal(new ImportCleaning.Phones(toMobile, toLandline, moved), ImportCleaning.SortPhones(mobile, landline));

    public static TheoryData<object, DateTime?> Dates => new()
    {
        { new DateTime(2024, 1, 5), new DateTime(2024, 1, 5) },
        { 45296.0, new DateTime(2024, 1, 5) },                 // an Excel serial in a General cell
        { 45296.75, new DateTime(2024, 1, 5, 18, 0, 0) },
        { "2024-01-05", new DateTime(2024, 1, 5) },
        { "2024/1/5", new DateTime(2024, 1, 5) },
        { "2024.01.05", new DateTime(2024, 1, 5) },
        { "2024年1月5日", new DateTime(2024, 1, 5) },
        { "２０２４年１月５日", new DateTime(2024, 1, 5) },
        { "20240105", new DateTime(2024, 1, 5) },
        { "2024/1/5 14:30", new DateTime(2024, 1, 5, 14, 30, 0) },
        { "2024年1月5日 9:05", new DateTime(2024, 1, 5, 9, 5, 0) },
        { "2024/13/5", null },
        { "2024年2月30日", null },
        { "昨天", null },
        { "5/1/2024", null },                                  // day and month order unknown: refused, not guessed
        { 0.0, null },
        { -3.0, null },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void Date_writings_become_a_date_or_a_problem(object cell, DateTime? expected)
    {
        var parsed = ImportCleaning.TryDate(cell, out var date);
        Assert.Equal(expected, parsed ? date : null);
    }

    [Fact]
    public async Task A_sheet_with_full_width_text_a_landline_as_the_mobile_spaced_mobiles_and_written_dates_imports_cleaned_and_says_so()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        Guid visitedOn;
        await using (var db = harness.NewSystemContext())
        {
            var field = new CustomFieldDefinition { LabelZh = "最近拜访日", LabelEn = "Last visit", Type = CustomFieldType.Date, Order = 1 };
            db.CustomFields.Add(field);
            await db.SaveChangesAsync();
            visitedOn = field.Id;
        }
        var rows = new List<Dictionary<string, object?>>
        {
            Row("ＸＹＺ清洗测试有限公司", "王芳", "0571-8888 6666"),
            Row("清洗测试二号有限公司", "李雷", "+86 139 1111 2222"),
            Row("清洗测试三号有限公司", "韩梅", "139 1111"),
            Row("清洗测试四号有限公司", "赵强", "13911113333"),
        };
        (rows[0]["最近拜访日"], rows[1]["最近拜访日"], rows[2]["最近拜访日"], rows[3]["最近拜访日"]) = ("2024年1月5日", 45296.0, null, new DateTime(2024, 3, 8));
        var import = harness.Get<CustomerImport>(admin);

        var preview = await import.PrepareAsync("cleaning.xlsx", Xlsx(rows), ImportMode.CreateOnly);

        Assert.Equal((3, 1), (preview.Job.ToCreate, preview.Job.ErrorRows));
        Assert.Equal("手机“139 1111”不是有效的手机号（11 位、13–19 开头，或 +国家码）", preview.FailingRows.Single().Reasons(true));
        Assert.Equal(new Dictionary<ImportCleaningKind, int>
        {
            [ImportCleaningKind.HalfWidth] = 1,        // the first name
            [ImportCleaningKind.LandlineMoved] = 1,    // 0571-8888 6666
            [ImportCleaningKind.PhoneReformatted] = 2, // that landline, and +86 139 1111 2222 (13911113333 is kept as written)
            [ImportCleaningKind.DateRead] = 2,         // the text and the serial; the date cell is a date already
        }, preview.Cleanings);
        await import.RunAsync(preview.Job.Id);
        await using var check = harness.NewSystemContext();
        async Task<(Contact Contact, DateTime? Visited)> Read(string name)
        {
            var customer = await check.Customers.AsNoTracking().SingleAsync(c => c.Name == name);
            var contact = await check.Contacts.AsNoTracking().SingleAsync(c => c.CustomerId == customer.Id);
            var visited = await check.CustomFieldValues.AsNoTracking().Where(v => v.CustomerId == customer.Id && v.FieldId == visitedOn).Select(v => v.Date).SingleOrDefaultAsync();
            return (contact, visited);
        }
        var first = await Read("XYZ清洗测试有限公司");
        Assert.Equal((null, "0571 8888 6666", new DateTime(2024, 1, 5)), (first.Contact.Mobile, first.Contact.Landline, first.Visited));
        var second = await Read("清洗测试二号有限公司");
        Assert.Equal(("13911112222", new DateTime(2024, 1, 5)), (second.Contact.Mobile, second.Visited));
        Assert.Equal(new DateTime(2024, 3, 8), (await Read("清洗测试四号有限公司")).Visited);
    }
}
