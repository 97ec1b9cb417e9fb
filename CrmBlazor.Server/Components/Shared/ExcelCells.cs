using MiniExcelLibs;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>How the small workbooks are sent (text cells go through <see cref="Domain.Importing.ExcelText.Neutralize"/> first).</summary>
public static class ExcelCells
{
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
