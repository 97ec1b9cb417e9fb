using MiniExcelLibs;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>What every exported workbook does to text cells (ENGINEERING.md, ASVS 5.0 1.2.10).</summary>
public static class ExcelCells
{
    /// <summary>A cell that starts like a formula (= + - @, tab, CR, NUL) is prefixed with an apostrophe, so a spreadsheet shows it as text.</summary>
    public static string Neutralize(string value) => Domain.Importing.ExcelText.Neutralize(value);

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>A small workbook (a report, a dashboard, the template) written in memory and sent as a download.</summary>
    public static async Task<IResult> FileAsync(object sheets, string fileName, CancellationToken cancellationToken)
    {
        var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: cancellationToken);
        stream.Position = 0;
        return Results.File(stream, ContentType, fileName);
    }
}
