using Bunit;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Server.Features.Customers;
using CrmBlazor.Tests.Layout;

namespace CrmBlazor.Tests.CustomFields;

/// <summary>SPEC B5: a custom field renders as the input and the filter that fit its type.</summary>
public sealed class CustomFieldComponentTests : MudTestContext
{
    private static CustomFieldDefinition Field(CustomFieldType type, string options = "", bool required = false) =>
        new() { LabelZh = "预算区间", LabelEn = "Budget range", Type = type, Options = options, IsRequired = required };

    [Theory]
    [InlineData(CustomFieldType.Text, "input")]
    [InlineData(CustomFieldType.Number, "input[inputmode]")]
    [InlineData(CustomFieldType.SingleSelect, ".mud-select")]
    [InlineData(CustomFieldType.MultiSelect, ".mud-select")]
    [InlineData(CustomFieldType.YesNo, ".mud-select")]
    [InlineData(CustomFieldType.Date, ".mud-picker")]
    public void The_form_input_fits_the_field_type_and_carries_its_label(CustomFieldType type, string selector)
    {
        var field = Field(type, "10万以下\n10–50万");

        var editor = RenderWithPopovers<CustomFieldEditor>(p => p.Add(e => e.Field, field).Add(e => e.Value, new CustomValue(field.Id)));

        Assert.NotEmpty(editor.FindAll(selector));
        Assert.Contains("Budget range", editor.Markup, StringComparison.Ordinal);
        Assert.Single(editor.FindAll($".crm-custom-{field.Id:N}"));
    }

    [Fact]
    public void A_domain_error_shows_under_the_field()
    {
        var field = Field(CustomFieldType.Text, required: true);

        var editor = RenderWithPopovers<CustomFieldEditor>(p => p.Add(e => e.Field, field).Add(e => e.Value, new CustomValue(field.Id)).Add(e => e.Error, "“预算区间”为必填项。"));

        Assert.Contains("“预算区间”为必填项。", editor.Find(".mud-input-helper-text").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Typing_a_text_value_hands_the_new_value_back()
    {
        var field = Field(CustomFieldType.Text);
        CustomValue? changed = null;
        var editor = RenderWithPopovers<CustomFieldEditor>(p => p.Add(e => e.Field, field).Add(e => e.Value, new CustomValue(field.Id))
            .Add(e => e.ValueChanged, v => changed = v));

        editor.Find("input").Change("年采购约30万");

        Assert.Equal(new CustomValue(field.Id, Text: "年采购约30万"), changed);
    }

    [Fact]
    public void The_list_filter_offers_a_select_fields_choices()
    {
        var field = Field(CustomFieldType.SingleSelect, "10万以下\n10–50万");
        CustomFieldFilter? chosen = null;
        var filter = RenderWithPopovers<CustomFieldFilterInput>(p => p.Add(f => f.Field, field).Add(f => f.ValueChanged, v => chosen = v));

        filter.Find(".mud-select .mud-input-control").MouseDown();
        var option = Popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("10–50万", StringComparison.Ordinal));
        option.Click();

        Assert.Equal(new CustomFieldFilter(field.Id, Text: "10–50万"), chosen);
    }
}
