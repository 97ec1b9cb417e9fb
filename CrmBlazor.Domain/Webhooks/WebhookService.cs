using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Webhooks;

/// <summary>What an Admin fills in to register or change an endpoint.</summary>
public sealed record WebhookEndpointInput(string Url, string? Description, IReadOnlyList<string> EventTypes);

/// <summary>An endpoint as the Admin lists it: never the secret.</summary>
public sealed record WebhookEndpointSummary(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, int ConsecutiveFailures,
    DateTime? DisabledAt, string? DisabledReason, DateTime CreatedAt);

/// <summary>The one moment the signing secret leaves the CRM: the result of <see cref="WebhookService.RegisterAsync"/>.</summary>
public sealed record RegisteredWebhookEndpoint(WebhookEndpointSummary Endpoint, string Secret);

public sealed record WebhookDeliverySummary(
    Guid Id, Guid EndpointId, Guid EventId, string EventType, WebhookDeliveryStatus Status, int Attempts, DateTime CreatedAt,
    DateTime NextAttemptAt, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError);

/// <summary>
/// Admin's webhooks (Administration/Configure): register (the secret shown once), change, enable or disable, remove
/// endpoints; list deliveries with their status; hand a failed or dead delivery back to the sender.
/// </summary>
public sealed class WebhookService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, AuditLog audit, TimeProvider time)
{
    public const int MaxUrlLength = 2000;

    public async Task<RegisteredWebhookEndpoint> RegisterAsync(WebhookEndpointInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var (url, types) = Validate(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var endpoint = new WebhookEndpoint
        {
            Url = url,
            Description = Description(input),
            Secret = WebhookSignature.NewSecret(),
            EventTypes = string.Join(' ', types),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(AuditAction.Create, endpoint.Id, cancellationToken);
        return new RegisteredWebhookEndpoint(Summary(endpoint), endpoint.Secret);
    }

    public async Task<WebhookEndpointSummary> UpdateAsync(Guid id, WebhookEndpointInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var (url, types) = Validate(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var endpoint = await FindAsync(db, id, cancellationToken);
        endpoint.Url = url;
        endpoint.Description = Description(input);
        endpoint.EventTypes = string.Join(' ', types);
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(AuditAction.Update, id, cancellationToken);
        return Summary(endpoint);
    }

    /// <summary>Enabling starts the failure count afresh; deliveries that waited are sent as they fall due.</summary>
    public async Task<WebhookEndpointSummary> SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var endpoint = await FindAsync(db, id, cancellationToken);
        endpoint.Enabled = enabled;
        endpoint.ConsecutiveFailures = 0;
        endpoint.DisabledAt = enabled ? null : time.GetUtcNow().UtcDateTime;
        endpoint.DisabledReason = null;
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(AuditAction.Update, id, cancellationToken);
        return Summary(endpoint);
    }

    /// <summary>Removes the endpoint with its deliveries.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.WebhookEndpoints.Remove(await FindAsync(db, id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await AuditAsync(AuditAction.Delete, id, cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookEndpointSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        return [.. endpoints.Select(Summary)];
    }

    /// <summary>An endpoint's deliveries, newest first, optionally of one status.</summary>
    public async Task<IReadOnlyList<WebhookDeliverySummary>> DeliveriesAsync(Guid endpointId, WebhookDeliveryStatus? status, int take, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await FindAsync(db, endpointId, cancellationToken);
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.EndpointId == endpointId && (status == null || d.Status == status))
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(Math.Clamp(take, 1, 200))
            .Select(d => new WebhookDeliverySummary(d.Id, d.EndpointId, d.EventId, d.EventType, d.Status, d.Attempts, d.CreatedAt,
                d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastError))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Hands a failed or dead delivery back to the sender, due now; one that succeeded or is pending is left alone.</summary>
    public async Task<bool> RetryAsync(Guid deliveryId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.WebhookDeliveries.AnyAsync(d => d.Id == deliveryId, cancellationToken))
        {
            throw new NotFoundException(nameof(WebhookDelivery), deliveryId);
        }
        var retried = await db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && (d.Status == WebhookDeliveryStatus.Failed || d.Status == WebhookDeliveryStatus.Dead))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.LeaseOwner, (Guid?)null).SetProperty(d => d.LeaseUntil, (DateTime?)null), cancellationToken);
        if (retried == 1)
        {
            await AuditAsync(AuditAction.Update, deliveryId, cancellationToken, nameof(WebhookDelivery));
        }
        return retried == 1;
    }

    private static async Task<WebhookEndpoint> FindAsync(CrmDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(WebhookEndpoint), id);

    private static (string Url, IReadOnlyList<string> Types) Validate(WebhookEndpointInput input)
    {
        var errors = new List<ValidationError>();
        var url = (input.Url ?? "").Trim();
        if (url.Length == 0)
        {
            errors.Add(new ValidationError(nameof(WebhookEndpointInput.Url), "Validation.Required", "Required."));
        }
        else if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add(new ValidationError(nameof(WebhookEndpointInput.Url), "Validation.WebhookUrl", "An absolute http(s) address without user name or fragment."));
        }
        var types = (input.EventTypes ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            errors.Add(new ValidationError(nameof(WebhookEndpointInput.EventTypes), "Validation.WebhookEventTypesRequired", "Choose at least one event type."));
        }
        else if (types.FirstOrDefault(t => !WebhookEventTypes.All.Contains(t)) is { } unknown)
        {
            errors.Add(new ValidationError(nameof(WebhookEndpointInput.EventTypes), "Validation.WebhookEventTypeUnknown",
                $"Unknown event type {unknown}; use one of {string.Join(", ", WebhookEventTypes.All)}.", unknown, string.Join(", ", WebhookEventTypes.All)));
        }
        ValidationFailedException.ThrowIfAny(errors);
        return (url, types);
    }

    private static string? Description(WebhookEndpointInput input) =>
        string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim()[..Math.Min(input.Description.Trim().Length, 200)];

    private Task AuditAsync(AuditAction action, Guid id, CancellationToken cancellationToken, string entity = nameof(WebhookEndpoint)) =>
        audit.RecordAsync(action, entity, id.ToString(), currentUser.UserId, currentUser.DisplayName, cancellationToken);

    private static WebhookEndpointSummary Summary(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.EventTypeList, e.Enabled, e.ConsecutiveFailures, e.DisabledAt, e.DisabledReason, e.CreatedAt);
}
