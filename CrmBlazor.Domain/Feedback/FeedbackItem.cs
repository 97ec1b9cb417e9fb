using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Feedback;

/// <summary>Where an improvement idea stands on Admin's list (SPEC I3).</summary>
public enum FeedbackStatus
{
    New,
    Planned,
    Done,
    Declined,
}

/// <summary>
/// One piece of feedback (SPEC I3): what a user wrote, on which page, with an optional screenshot; Admin sets its
/// status and may reply. Audited field by field, so every status change and reply has its audit row.
/// </summary>
public sealed class FeedbackItem : AuditableEntity
{
    public const int TextMaxLength = 2000;
    public const int PageMaxLength = 300;
    public const int ReplyMaxLength = 2000;

    public Guid SenderId { get; set; }
    public required string Text { get; set; }

    /// <summary>The app-relative URL the feedback was sent from.</summary>
    public required string Page { get; set; }

    public FeedbackStatus Status { get; set; } = FeedbackStatus.New;
    public string? Reply { get; set; }

    /// <summary>The screenshot's name as the user chose it; null without one.</summary>
    public string? ScreenshotName { get; set; }

    /// <summary>The generated name the screenshot is stored under (outside wwwroot, beside demand evidence).</summary>
    public string? ScreenshotStoredName { get; set; }

    public string? ScreenshotContentType { get; set; }
}
