using System.Globalization;
using System.Text;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Webhooks;

/// <summary>
/// Sends due deliveries (docs/decisions/0021), on every instance. A delivery is claimed with a conditional UPDATE on its own
/// row (due, not leased or lease expired), so of two instances reading the same candidates one wins each row: the same on
/// SQLite, PostgreSQL (the second UPDATE re-checks the row after the first commits) and SQL Server. A POST that answers
/// 2xx succeeds; anything else — a redirect included, which is never followed — fails and is retried with exponential
/// backoff until <see cref="WebhookOptions.RetryFor"/>, then dead. An endpoint failing
/// <see cref="WebhookOptions.DisableAfterFailures"/> times in a row is disabled and every Admin told.
/// </summary>
public sealed class WebhookSender(DatabaseSettings database, TimeProvider time, IOptions<WebhookOptions> options,
    IServiceScopeFactory scopes, ILogger<WebhookSender> logger) : IDisposable
{
    /// <summary>Bell kind; values: the endpoint's URL, failures in a row, the last error.</summary>
    public const string EndpointDisabledKind = "webhook-disabled";

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false, // only URLs an Admin registered are called: a redirect is a failure, never followed
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // the per-request timeout below, on the TimeProvider
    };

    /// <summary>One pass: claims up to a batch of due deliveries and sends them. Returns how many were sent (either way).</summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = DomainServices.CreateSystemContext(database, time);
        var candidates = await Due(db, now)
            .Where(d => db.WebhookEndpoints.Any(e => e.Id == d.EndpointId && e.Enabled))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Select(d => d.Id).Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }
        var lease = Guid.NewGuid();
        var leaseUntil = now + settings.LeaseDuration;
        var claimed = new List<Guid>();
        foreach (var id in candidates)
        {
            var won = await Due(db, now).Where(d => d.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, lease).SetProperty(d => d.LeaseUntil, leaseUntil), cancellationToken);
            if (won == 1)
            {
                claimed.Add(id);
            }
        }
        var work = await db.WebhookDeliveries.AsNoTracking().Where(d => claimed.Contains(d.Id))
            .Join(db.WebhookEndpoints.AsNoTracking(), d => d.EndpointId, e => e.Id, (d, e) => new { Delivery = d, Endpoint = e })
            .ToListAsync(cancellationToken);
        var disabled = new HashSet<Guid>();
        foreach (var item in work.OrderBy(w => w.Delivery.NextAttemptAt).ThenBy(w => w.Delivery.Id))
        {
            if (disabled.Contains(item.Endpoint.Id))
            {
                await db.WebhookDeliveries.Where(d => d.Id == item.Delivery.Id && d.LeaseOwner == lease)
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, (Guid?)null).SetProperty(d => d.LeaseUntil, (DateTime?)null), cancellationToken);
                continue;
            }
            var outcome = await SendAsync(item.Endpoint, item.Delivery, cancellationToken);
            if (!await RecordAsync(db, item.Delivery, lease, outcome, cancellationToken))
            {
                disabled.Add(item.Endpoint.Id);
            }
        }
        return work.Count;
    }

    /// <summary>
    /// Removes deliveries that succeeded or died more than <see cref="WebhookOptions.KeepFor"/> after their creation (by the
    /// TimeProvider); any instance may run it, as it deletes only what every instance would. Returns how many went.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - options.Value.KeepFor;
        await using var db = DomainServices.CreateSystemContext(database, time);
        return await db.WebhookDeliveries
            .Where(d => (d.Status == WebhookDeliveryStatus.Succeeded || d.Status == WebhookDeliveryStatus.Dead) && d.CreatedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static IQueryable<WebhookDelivery> Due(CrmDbContext db, DateTime now) =>
        db.WebhookDeliveries.Where(d => (d.Status == WebhookDeliveryStatus.Pending || d.Status == WebhookDeliveryStatus.Failed)
            && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now));

    private sealed record Outcome(bool Succeeded, int? StatusCode, string? Error);

    private async Task<Outcome> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var id = delivery.Id.ToString();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(endpoint.Secret, id, timestamp, delivery.Payload));
        using var timeout = new CancellationTokenSource(options.Value.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var code = (int)response.StatusCode;
            return code switch
            {
                >= 200 and < 300 => new Outcome(true, code, null),
                >= 300 and < 400 => new Outcome(false, code, $"Redirect to {response.Headers.Location} not followed."),
                _ => new Outcome(false, code, $"{code} {response.ReasonPhrase}"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(false, null, $"No answer within {options.Value.Timeout}.");
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(false, null, ex.Message);
        }
    }

    /// <summary>Writes the attempt (only while this pass still holds the lease). Returns false when it disabled the endpoint.</summary>
    private async Task<bool> RecordAsync(CrmDbContext db, WebhookDelivery delivery, Guid lease, Outcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var attempts = delivery.Attempts + 1;
        var error = outcome.Error is { Length: > 500 } tooLong ? tooLong[..500] : outcome.Error;
        var next = now + settings.RetryDelay(attempts);
        var status = outcome.Succeeded ? WebhookDeliveryStatus.Succeeded
            : next > delivery.CreatedAt + settings.RetryFor ? WebhookDeliveryStatus.Dead : WebhookDeliveryStatus.Failed;
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.LeaseOwner == lease).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.Attempts, d => d.Attempts + 1)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.NextAttemptAt, outcome.Succeeded ? now : next)
            .SetProperty(d => d.LastStatusCode, outcome.StatusCode)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LeaseOwner, (Guid?)null)
            .SetProperty(d => d.LeaseUntil, (DateTime?)null), cancellationToken);
        var endpointId = delivery.EndpointId;
        if (outcome.Succeeded)
        {
            await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.ConsecutiveFailures != 0)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, 0), cancellationToken);
            return true;
        }
        logger.LogWarning("Webhook delivery {DeliveryId} to endpoint {EndpointId} failed (attempt {Attempts}): {Error}", delivery.Id, endpointId, attempts, error);
        await db.WebhookEndpoints.Where(e => e.Id == endpointId)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, e => e.ConsecutiveFailures + 1), cancellationToken);
        var limit = settings.DisableAfterFailures;
        var reason = $"{limit} failed attempts in a row; the last: {error}";
        reason = reason.Length > 500 ? reason[..500] : reason;
        // Whoever's update flips Enabled tells the Admins: once, whichever instance it is.
        var disabled = await db.WebhookEndpoints.Where(e => e.Id == endpointId && e.Enabled && e.ConsecutiveFailures >= limit)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledAt, now).SetProperty(e => e.DisabledReason, reason), cancellationToken);
        if (disabled == 0)
        {
            return true;
        }
        var url = await db.WebhookEndpoints.Where(e => e.Id == endpointId).Select(e => e.Url).SingleAsync(cancellationToken);
        logger.LogWarning("Webhook endpoint {EndpointId} ({Url}) disabled after {Failures} failed attempts in a row", endpointId, url, limit);
        await NotifyAdminsAsync(db, endpointId, url, limit, error ?? "", now, cancellationToken);
        return false;
    }

    private async Task NotifyAdminsAsync(CrmDbContext db, Guid endpointId, string url, int failures, string error, DateTime now, CancellationToken cancellationToken)
    {
        // People only: an Admin-role API key's service account reads no bell.
        var admins = (await db.Users.AsNoTracking().Where(u => u.IsActive).ToListAsync(cancellationToken))
            .Where(u => u.RoleSet.Contains(Role.Admin) && u.ExternalId?.StartsWith(Api.ApiKeyService.ExternalIdPrefix, StringComparison.Ordinal) != true)
            .Select(u => u.Id).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var notifications = scope.ServiceProvider.GetRequiredService<NotificationService>();
        var values = new[] { url, failures.ToString(CultureInfo.InvariantCulture), error };
        foreach (var admin in admins)
        {
            await notifications.NotifyAsync(admin, EndpointDisabledKind, values, null,
                $"{EndpointDisabledKind}:{endpointId:N}:{now.Ticks}:{admin:N}", cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();
}
