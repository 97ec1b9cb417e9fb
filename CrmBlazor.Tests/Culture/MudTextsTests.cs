using System.Globalization;
using System.Resources;
using Bunit;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CrmBlazor.Tests.Culture;

/// <summary>SPEC J1: MudBlazor's own texts (date picker, grid pager and filters, dialogs) come out in Chinese for a zh-CN user.</summary>
public sealed class MudTextsTests : MudTestContext
{
    private sealed record Row(int Number);

    public MudTextsTests() => Services.AddTransient<MudLocalizer, CrmMudLocalizer>();

    private static void InChinese() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");

    [Fact]
    public void The_data_grid_pager_speaks_Chinese()
    {
        InChinese();
        var grid = Render<MudDataGrid<Row>>(p => p
            .Add(g => g.Items, Enumerable.Range(1, 30).Select(n => new Row(n)).ToList())
            .Add(g => g.RowsPerPage, 10)
            .Add(g => g.Columns, builder =>
            {
                builder.OpenComponent<PropertyColumn<Row, int>>(0);
                builder.AddAttribute(1, nameof(PropertyColumn<Row, int>.Property), (System.Linq.Expressions.Expression<Func<Row, int>>)(r => r.Number));
                builder.CloseComponent();
            })
            .Add(g => g.PagerContent, builder =>
            {
                builder.OpenComponent<MudDataGridPager<Row>>(0);
                builder.CloseComponent();
            }));

        Assert.Contains("每页行数：", grid.Markup, StringComparison.Ordinal);
        Assert.Contains("1-10，共 30 条", grid.Markup, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"下一页\"", grid.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Rows per page", grid.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_date_picker_names_its_buttons_and_months_in_Chinese()
    {
        InChinese();
        var picker = Render<MudDatePicker>(p => p
            .Add(d => d.PickerVariant, PickerVariant.Static)
            .Add(d => d.Date, new DateTime(2026, 12, 1)));

        Assert.Contains("aria-label=\"上个月 (2026年11月)\"", picker.Markup, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"下个月 (2027年1月)\"", picker.Markup, StringComparison.Ordinal);
        Assert.Contains(">2026年12月<", picker.Markup, StringComparison.Ordinal);
        Assert.Contains(">周一<", picker.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Previous month", picker.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dialog_s_close_button_is_labelled_in_Chinese()
    {
        InChinese();
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();

        await provider.InvokeAsync(() => dialogs.ShowAsync<MudText>("标题", new DialogOptions { CloseButton = true }));

        provider.WaitForAssertion(() => Assert.Contains("aria-label=\"关闭\"", provider.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_built_in_MudBlazor_text_has_a_Chinese_translation()
    {
        InChinese();
        var localizer = Services.GetRequiredService<MudLocalizer>();
        var builtIn = new ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudLocalizer).Assembly)
            .GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Value is string text && text.Any(char.IsLetter)) // "=", ">=": the same in every language
            .Select(e => (string)e.Key)
            .ToList();

        Assert.NotEmpty(builtIn);
        Assert.Equal([], builtIn.Where(key => localizer[key].ResourceNotFound).ToList()); // the list names any key still missing
    }
}
