using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// <c>/api/v1/customers/{customerId}/interactions</c>: the customer's interactions through <see cref="InteractionQueries"/>
/// (whoever may view the customer, as its 360 timeline shows them) and logging one through the same
/// <see cref="InteractionService"/> as the page's dialog, to-dos included: the customer's last contact moves, the timeline
/// and audit name the caller (a key's service account), a to-do given to someone else notifies them. Interactions are not
/// edited after logging, so there is no ETag here.
/// </summary>
public static class InteractionsApi
{
    private const string Tag = "Interactions";

    public static RouteGroupBuilder MapInteractionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/customers/{customerId:guid}/interactions", ListAsync).WithTags(Tag).WithName("ListInteractions")
            .WithSummary("The customer's interactions, newest first, paged.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/customers/{customerId:guid}/interactions", LogAsync).WithTags(Tag).WithName("LogInteraction")
            .WithSummary("Logs an interaction with the customer, with its to-dos; a time without an offset is company time.")
            .WithMetadata(new RequirePermissionAttribute(Module.Interactions, Operation.Create))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<InteractionListResource>> ListAsync(Guid customerId, [FromQuery(Name = "page")] int? page, [FromQuery(Name = "pageSize")] int? pageSize,
        InteractionQueries queries, CancellationToken cancellationToken)
    {
        var paging = ApiPaging.Of(page, pageSize);
        var result = await queries.ListAsync(customerId, paging.Page - 1, paging.PageSize, cancellationToken);
        return TypedResults.Ok(new InteractionListResource([.. result.Items.Select(InteractionResource.From)], paging.Page, paging.PageSize, result.TotalCount));
    }

    private static async Task<Created<InteractionResource>> LogAsync(Guid customerId, NewInteraction body, InteractionService service, CancellationToken cancellationToken)
    {
        var logged = await service.LogAsync(body.ToInput(customerId), cancellationToken);
        return TypedResults.Created($"/api/v1/customers/{customerId}/interactions", InteractionResource.From(InteractionDetails.Of(logged)));
    }
}
