using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Webhooks;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmBlazor.Server.Features.Api;

/// <summary>An endpoint as the API shows it: never the secret (only <see cref="RegisteredWebhookResource"/> carries it, once).</summary>
public sealed record WebhookEndpointResource(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool Enabled, int ConsecutiveFailures,
    DateTime? DisabledAt, string? DisabledReason, DateTime CreatedAt)
{
    public static WebhookEndpointResource From(WebhookEndpointSummary e) =>
        new(e.Id, e.Url, e.Description, e.EventTypes, e.Enabled, e.ConsecutiveFailures, e.DisabledAt, e.DisabledReason, e.CreatedAt);
}

/// <summary>The registration's answer: the endpoint and its signing secret, which is never shown again.</summary>
public sealed record RegisteredWebhookResource(WebhookEndpointResource Endpoint, string Secret);

/// <summary>The body of a registration or a change.</summary>
public sealed record WebhookEndpointFields(string? Url, string? Description, IReadOnlyList<string>? EventTypes)
{
    public WebhookEndpointInput ToInput() => new(Url ?? "", Description, EventTypes ?? []);
}

public sealed record WebhookEnabledFields(bool Enabled);

public sealed record WebhookDeliveryResource(
    Guid Id, Guid EndpointId, Guid EventId, string EventType, string Status, int Attempts, DateTime CreatedAt,
    DateTime NextAttemptAt, DateTime? LastAttemptAt, int? LastStatusCode, string? LastError)
{
    public static WebhookDeliveryResource From(WebhookDeliverySummary d) =>
        new(d.Id, d.EndpointId, d.EventId, d.EventType, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt,
            d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastError);
}

/// <summary>
/// <c>/api/v1/webhooks</c> (Admin: Administration/Configure): signed webhooks (docs/decisions/0021) — endpoints, their
/// deliveries with status, a retry by hand. The sender itself is <see cref="WebhookSender"/>, on every instance.
/// </summary>
public static class WebhooksApi
{
    private const string Tag = "Webhooks";

    /// <summary><c>Webhooks:*</c> settings and the sender, on every instance (it needs no <c>Jobs:Enabled</c>: claims are per row).</summary>
    public static WebApplicationBuilder AddCrmWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection("Webhooks"))
            .Validate(o => o.DisableAfterFailures > 0 && o.BatchSize > 0 && o.LeaseDuration > o.Timeout && o.KeepFor > o.RetryFor,
                "Webhooks: DisableAfterFailures and BatchSize above 0, LeaseDuration longer than Timeout, KeepFor longer than RetryFor.")
            .ValidateOnStart();
        builder.Services.AddHostedService<Jobs.WebhookSenderHost>();
        return builder;
    }

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var admin = new RequirePermissionAttribute(Module.Administration, Operation.Configure);
        api.MapGet("/webhooks/event-types", () => TypedResults.Ok(WebhookEventTypes.All)).WithTags(Tag).WithName("ListWebhookEventTypes")
            .WithSummary("The event types an endpoint may subscribe to.").WithMetadata(admin);
        api.MapGet("/webhooks", ListAsync).WithTags(Tag).WithName("ListWebhookEndpoints").WithSummary("Registered endpoints (never their secrets).")
            .WithMetadata(admin);
        api.MapPost("/webhooks", RegisterAsync).WithTags(Tag).WithName("RegisterWebhookEndpoint")
            .WithSummary("Registers an endpoint; the answer carries its signing secret, shown this once.")
            .WithMetadata(admin).ProducesValidationProblem();
        api.MapPut("/webhooks/{id:guid}", UpdateAsync).WithTags(Tag).WithName("UpdateWebhookEndpoint").WithSummary("Changes an endpoint's URL, description and event types.")
            .WithMetadata(admin).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/webhooks/{id:guid}/enabled", SetEnabledAsync).WithTags(Tag).WithName("EnableWebhookEndpoint")
            .WithSummary("Enables (failure count reset) or disables an endpoint.")
            .WithMetadata(admin).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/webhooks/{id:guid}", DeleteAsync).WithTags(Tag).WithName("DeleteWebhookEndpoint").WithSummary("Removes an endpoint and its deliveries.")
            .WithMetadata(admin).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/webhooks/{id:guid}/deliveries", DeliveriesAsync).WithTags(Tag).WithName("ListWebhookDeliveries")
            .WithSummary("An endpoint's deliveries, newest first, with status, attempts and the last answer.")
            .WithMetadata(admin).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/webhooks/deliveries/{id:guid}/retry", RetryAsync).WithTags(Tag).WithName("RetryWebhookDelivery")
            .WithSummary("Hands a failed or dead delivery back to the sender, due now.")
            .WithMetadata(admin).Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<WebhookEndpointResource[]>> ListAsync(WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok((await webhooks.ListAsync(cancellationToken)).Select(WebhookEndpointResource.From).ToArray());

    private static async Task<Created<RegisteredWebhookResource>> RegisterAsync(WebhookEndpointFields body, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var registered = await webhooks.RegisterAsync(body.ToInput(), cancellationToken);
        return TypedResults.Created($"/api/v1/webhooks/{registered.Endpoint.Id}",
            new RegisteredWebhookResource(WebhookEndpointResource.From(registered.Endpoint), registered.Secret));
    }

    private static async Task<Ok<WebhookEndpointResource>> UpdateAsync(Guid id, WebhookEndpointFields body, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(WebhookEndpointResource.From(await webhooks.UpdateAsync(id, body.ToInput(), cancellationToken)));

    private static async Task<Ok<WebhookEndpointResource>> SetEnabledAsync(Guid id, WebhookEnabledFields body, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(WebhookEndpointResource.From(await webhooks.SetEnabledAsync(id, body.Enabled, cancellationToken)));

    private static async Task<NoContent> DeleteAsync(Guid id, WebhookService webhooks, CancellationToken cancellationToken)
    {
        await webhooks.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WebhookDeliveryResource[]>> DeliveriesAsync(Guid id, [FromQuery(Name = "status")] WebhookDeliveryStatus? status,
        [FromQuery(Name = "take")] int? take, WebhookService webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok((await webhooks.DeliveriesAsync(id, status, take ?? 50, cancellationToken)).Select(WebhookDeliveryResource.From).ToArray());

    private static async Task<IResult> RetryAsync(Guid id, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken) =>
        await webhooks.RetryAsync(id, cancellationToken)
            ? TypedResults.Accepted($"/api/v1/webhooks/deliveries/{id}")
            : ApiProblems.Problem(context, StatusCodes.Status409Conflict, "Api.WebhookDeliveryNotRetriable");
}
