using System.Globalization;
using System.Text.Json;
using CrmBlazor.Domain.Pipeline;

namespace CrmBlazor.Domain.Approvals;

/// <summary>
/// What a request asks, as facts of its kind (invariant text), never naming a customer: it reaches every approver's bell.
/// The Server words it in the reader's language; the Domain stores no sentence. <see cref="StoredText"/> is set only
/// for requests stored before summaries were facts: their text, shown as it was.
/// </summary>
public sealed record ApprovalSummary(string Kind, IReadOnlyList<string> Facts, string? StoredText = null)
{
    /// <summary>Facts: how many customers.</summary>
    public static ApprovalSummary Export(int customers) => new(ApprovalKinds.CustomerExport, [Invariant(customers)]);

    /// <summary>No facts: the two customers are shown to those whose scope holds them.</summary>
    public static ApprovalSummary Merge() => new(ApprovalKinds.CustomerMerge, []);

    /// <summary>Facts: how many customers.</summary>
    public static ApprovalSummary BulkDelete(int customers) => new(ApprovalKinds.CustomerBulkDelete, [Invariant(customers)]);

    /// <summary>Facts: the opportunity's number, its amount in fen, the stage it would move to.</summary>
    public static ApprovalSummary OpportunityMove(string number, long amountFen, OpportunityStage to) =>
        new(ApprovalKinds.OpportunityMove, [number, amountFen.ToString(CultureInfo.InvariantCulture), to.ToString()]);

    /// <summary>Facts: the lead's number, the name of the user it would go to.</summary>
    public static ApprovalSummary LeadAssignment(string number, string ownerName) => new(ApprovalKinds.LeadAssignment, [number, ownerName]);

    /// <summary>The facts as the request stores them: Chinese as written, not escaped (a name stays within the column).</summary>
    public string FactsJson() => JsonSerializer.Serialize(Facts, StoredForm);

    private static readonly JsonSerializerOptions StoredForm = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    /// <summary>A stored request's summary: its facts, or (stored before there were facts) its text.</summary>
    public static ApprovalSummary Of(string kind, string? factsJson, string? storedText)
    {
        if (factsJson is not null)
        {
            try
            {
                return new ApprovalSummary(kind, JsonSerializer.Deserialize<List<string>>(factsJson) ?? []);
            }
            catch (JsonException)
            {
                // unreadable facts: fall back to whatever text there is
            }
        }
        return new ApprovalSummary(kind, [], storedText ?? "");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
