using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CrmBlazor.Domain.Common;

/// <summary>
/// The app's own instruments (SPEC I1), on one <see cref="Meter"/> named <see cref="MeterName"/> that the host's
/// OpenTelemetry wiring listens to. Static, as a <see cref="Meter"/> is process-wide by design: a measurement nobody
/// listens to costs next to nothing. Tags are low-cardinality names (event kind, job, outcome), never ids.
/// </summary>
public static class CrmMetrics
{
    public const string MeterName = "CrmBlazor";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> LiveEventsPublished = Meter.CreateCounter<long>(
        "crm.live_events.published", "{event}", "Live events published by this instance, by kind.");

    private static readonly Counter<long> LiveEventsReceived = Meter.CreateCounter<long>(
        "crm.live_events.received", "{event}", "Live events delivered to this instance's subscribers, by kind.");

    private static readonly Counter<long> LiveEventsReplayed = Meter.CreateCounter<long>(
        "crm.live_events.replayed", "{event}", "Live events this instance found first in the outbox (Redis did not bring them), by kind.");

    private static readonly Counter<long> LiveResyncs = Meter.CreateCounter<long>(
        "crm.live_events.resyncs", "{resync}", "Times this instance told every open page to re-read its data, by reason.");

    private static readonly Histogram<double> LiveRenderLag = Meter.CreateHistogram(
        "crm.live_events.render_lag", "ms",
        "From a live event's creation (at the save) until an open page has re-read and its render batch is handed to SignalR, by kind: one measurement per page.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 20, 30, 40, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000] });

    private static readonly UpDownCounter<long> CircuitsOpen = Meter.CreateUpDownCounter<long>(
        "crm.circuits.open", "{circuit}", "Blazor circuits open on this instance.");

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>(
        "crm.jobs.runs", "{run}", "Background job passes, by job and outcome.");

    private static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>(
        "crm.jobs.duration", "s", "Duration of a background job pass, by job and outcome.");

    private static readonly Counter<long> ImportRows = Meter.CreateCounter<long>(
        "crm.import.rows", "{row}", "Import rows committed (a rate of this is rows per second).");

    private static readonly Counter<long> SlaBreaches = Meter.CreateCounter<long>(
        "crm.sla.breaches", "{breach}", "SLA breaches found and claimed by this instance, by subject (demand, ticket) and stage.");

    public static void LiveEventPublished(string kind) => LiveEventsPublished.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void LiveEventReceived(string kind) => LiveEventsReceived.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void LiveEventReplayed(string kind) => LiveEventsReplayed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public static void LiveEventRendered(string kind, TimeSpan sinceOccurred) =>
        LiveRenderLag.Record(sinceOccurred.TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));

    public static void LiveResync(string reason) => LiveResyncs.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void CircuitOpened() => CircuitsOpen.Add(1);

    public static void CircuitClosed() => CircuitsOpen.Add(-1);

    public static void JobRan(string job, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "job", job }, { "outcome", outcome } };
        JobRuns.Add(1, tags);
        JobDuration.Record(duration.TotalSeconds, tags);
    }

    public static void ImportRowsCommitted(int rows) => ImportRows.Add(rows);

    public static void SlaBreached(string subject, string stage) =>
        SlaBreaches.Add(1, new KeyValuePair<string, object?>("subject", subject), new KeyValuePair<string, object?>("stage", stage));
}
