using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Server.Features.Interactions;

/// <summary>What the user has typed into the interaction dialog and not saved yet, as the browser keeps it.</summary>
public sealed record InteractionDraft(
    string? Type, DateTime? Date, TimeSpan? Time, string? Topic, string? Summary, string? Feedback,
    IReadOnlyList<Guid> Contacts, IReadOnlyList<Guid> Participants, Guid? DemandId, IReadOnlyList<InteractionDraftTodo> Todos)
{
    /// <summary>Nothing the user wrote or chose: the dialog's own defaults (its date and time) are no draft.</summary>
    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(Type) && string.IsNullOrWhiteSpace(Topic) && string.IsNullOrWhiteSpace(Summary) && string.IsNullOrWhiteSpace(Feedback)
        && Contacts.Count == 0 && Participants.Count == 0 && DemandId is null && Todos.All(t => string.IsNullOrWhiteSpace(t.What));

    /// <summary>A few words to recognise the draft by: its topic, else the start of its summary or feedback.</summary>
    public string Gist(int length = 40)
    {
        var text = new[] { Topic, Summary, Feedback }.FirstOrDefault(t => !string.IsNullOrWhiteSpace(t))?.Trim() ?? "";
        return text.Length > length ? text[..length] + "…" : text;
    }
}

public sealed record InteractionDraftTodo(string What, Guid? OwnerId, DateTime? Due);

/// <summary>
/// Interaction drafts in the tab's sessionStorage, one per customer (<c>crm.draft.interaction:{customerId}</c>), so a
/// draft outlives a lost circuit, a reload and a move to another server; gone when the tab closes. Scoped to the
/// circuit: <see cref="Changed"/> tells this circuit's other components (the 360 page's banner) when one is kept or dropped.
/// </summary>
public sealed class InteractionDrafts(BrowserSession session)
{
    // Chinese text stays readable in the browser's storage (it never reaches HTML from there).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private readonly Dictionary<Guid, string> _kept = [];

    /// <summary>A customer's draft was kept (the draft) or dropped (null).</summary>
    public event Func<Guid, InteractionDraft?, Task>? Changed;

    public static string Key(Guid customerId) => $"crm.draft.interaction:{customerId}";

    public async Task<InteractionDraft?> LoadAsync(Guid customerId)
    {
        var stored = await session.ReadAsync(Key(customerId));
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<InteractionDraft>(stored, Json) is { IsEmpty: false } draft ? draft : null;
        }
        catch (JsonException)
        {
            return null; // written by an older version of the dialog: start afresh
        }
    }

    /// <summary>Keeps the draft, or drops it when it holds nothing the user entered.</summary>
    public async Task SaveAsync(Guid customerId, InteractionDraft draft)
    {
        if (draft.IsEmpty)
        {
            await ClearAsync(customerId);
            return;
        }
        var json = JsonSerializer.Serialize(draft, Json);
        if (_kept.GetValueOrDefault(customerId) == json)
        {
            return;
        }
        await session.WriteAsync(Key(customerId), json);
        _kept[customerId] = json;
        await NotifyAsync(customerId, draft);
    }

    public async Task ClearAsync(Guid customerId)
    {
        await session.RemoveAsync(Key(customerId));
        _kept.Remove(customerId);
        await NotifyAsync(customerId, null);
    }

    private async Task NotifyAsync(Guid customerId, InteractionDraft? draft)
    {
        if (Changed is { } changed)
        {
            foreach (var handler in changed.GetInvocationList().Cast<Func<Guid, InteractionDraft?, Task>>())
            {
                await handler(customerId, draft);
            }
        }
    }
}
