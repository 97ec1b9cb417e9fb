using System.Globalization;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Features.Pipeline;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Approvals;

/// <summary>A request's summary in the reader's language, from its kind and facts (<see cref="ApprovalSummary"/>): the queue and the bells.</summary>
public static class ApprovalTexts
{
    public static string Describe(IStringLocalizer l, ApprovalSummary summary) => summary.StoredText ?? (summary.Kind, summary.Facts.Count) switch
    {
        (ApprovalKinds.CustomerExport, 1) => l["Approvals.Summary.Export", Count(summary.Facts[0])],
        (ApprovalKinds.CustomerMerge, _) => l["Approvals.Summary.Merge"],
        (ApprovalKinds.CustomerBulkDelete, 1) => l["Approvals.Summary.BulkDelete", Count(summary.Facts[0])],
        (ApprovalKinds.OpportunityMove, 3) when long.TryParse(summary.Facts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var fen)
            && Enum.TryParse<OpportunityStage>(summary.Facts[2], out var stage)
            => l["Approvals.Summary.OpportunityMove", summary.Facts[0], PipelineTexts.Amount(fen), PipelineTexts.Stage(l, stage)],
        (ApprovalKinds.LeadAssignment, 2) => l["Approvals.Summary.LeadAssignment", summary.Facts[0], summary.Facts[1]],
        _ => summary.Kind,
    };

    /// <summary>A count in the reader's digit grouping (12,000).</summary>
    private static string Count(string invariant) =>
        int.TryParse(invariant, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n.ToString("N0", CultureInfo.CurrentCulture) : invariant;
}
