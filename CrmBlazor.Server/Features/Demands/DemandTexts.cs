using CrmBlazor.Domain.Demands;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmBlazor.Server.Features.Demands;

/// <summary>Names and colours of demand and task states in the reader's language; durations for SLA badges.</summary>
public static class DemandTexts
{
    public static string Status(IStringLocalizer l, DemandStatus status) => l[$"Demand.Status.{status}"];

    public static string Status(IStringLocalizer l, DemandTaskStatus status) => l[$"Task.Status.{status}"];

    public static string Priority(IStringLocalizer l, DemandPriority priority) => l[$"Demand.Priority.{priority}"];

    public static Color PriorityColor(DemandPriority priority) => priority switch
    {
        DemandPriority.High => Color.Error,
        DemandPriority.Medium => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>"2 天 3 小时", "5 小时 12 分", "12 分钟": the two largest units that matter.</summary>
    public static string Duration(IStringLocalizer l, TimeSpan span)
    {
        span = span.Duration();
        if (span.TotalDays >= 1)
        {
            return l["Duration.DaysHours", (int)span.TotalDays, span.Hours];
        }
        return span.TotalHours >= 1 ? l["Duration.HoursMinutes", (int)span.TotalHours, span.Minutes] : l["Duration.Minutes", Math.Max(1, span.Minutes)];
    }
}
