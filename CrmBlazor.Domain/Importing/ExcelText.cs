namespace CrmBlazor.Domain.Importing;

/// <summary>What every workbook CrmBlazor writes does to text cells (ENGINEERING.md, ASVS 5.0 1.2.10).</summary>
public static class ExcelText
{
    /// <summary>A cell that starts like a formula (= + - @, tab, CR, NUL) is prefixed with an apostrophe, so a spreadsheet shows it as text.</summary>
    public static string Neutralize(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\0' ? "'" + value : value;

    public static object? NeutralizeCell(object? value) => value is string text ? Neutralize(text) : value;
}
