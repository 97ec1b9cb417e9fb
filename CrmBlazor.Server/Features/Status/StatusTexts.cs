using System.Globalization;

namespace CrmBlazor.Server.Features.Status;

/// <summary>Numbers the status page shows: sizes in binary units, in the UI culture's digits.</summary>
public static class StatusTexts
{
    private static readonly string[] Units = ["B", "KB", "MB", "GB", "TB"];

    public static string Bytes(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? $"{bytes.ToString("N0", CultureInfo.CurrentCulture)} B"
            : $"{value.ToString("N1", CultureInfo.CurrentCulture)} {Units[unit]}";
    }
}
