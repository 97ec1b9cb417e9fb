namespace CrmBlazor.Domain.Feedback;

/// <summary>What the feedback dialog sends: the user's text and the app-relative URL of the page it was opened on.</summary>
public sealed record FeedbackInput(string? Text, string? Page);

/// <summary>A row of Admin's improvement list.</summary>
public sealed record FeedbackListItem(Guid Id, string Text, string Page, string SenderName, DateTime CreatedAt, FeedbackStatus Status, bool HasReply, bool HasScreenshot);

/// <summary>One item as Admin's detail dialog shows it; <see cref="Version"/> is what a change must name.</summary>
public sealed record FeedbackDetail(Guid Id, int Version, string Text, string Page, string SenderName, DateTime CreatedAt, FeedbackStatus Status, string? Reply, string? ScreenshotName);

/// <summary>One of my own items, with where it stands and Admin's reply.</summary>
public sealed record MyFeedback(Guid Id, string Text, string Page, DateTime CreatedAt, FeedbackStatus Status, string? Reply, DateTime UpdatedAt);

/// <summary>A stored screenshot, opened for reading: the caller disposes <see cref="Content"/>.</summary>
public sealed record FeedbackScreenshot(string FileName, string ContentType, Stream Content);
