using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmBlazor.Server.Features.Api;

/// <summary>The ticket list's filters as query parameters (enum values by their camelCase names); <c>page</c> counts from 1.</summary>
public sealed record TicketListQuery(
    [property: FromQuery(Name = "search")] string? Search,
    [property: FromQuery(Name = "status")] string? Status,
    [property: FromQuery(Name = "customerId")] Guid? CustomerId,
    [property: FromQuery(Name = "assigneeId")] Guid? AssigneeId,
    [property: FromQuery(Name = "groupId")] Guid? GroupId,
    [property: FromQuery(Name = "severity")] string? Severity,
    [property: FromQuery(Name = "category")] string? Category,
    [property: FromQuery(Name = "breached")] bool? Breached,
    [property: FromQuery(Name = "unassigned")] bool? Unassigned,
    [property: FromQuery(Name = "openOnly")] bool? OpenOnly,
    [property: FromQuery(Name = "sort")] string? Sort,
    [property: FromQuery(Name = "descending")] bool? Descending,
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "pageSize")] int? PageSize)
{
    public TicketFilter ToFilter() => new(
        GroupId, AssigneeId, ApiEnums.Parse<TicketSeverity>(Severity, "severity"), Category, CustomerId, Breached,
        ApiEnums.Parse<TicketStatus>(Status, "status"), Unassigned, OpenOnly ?? false, Search);
}

/// <summary>
/// <c>/api/v1/tickets</c> (SPEC G1–G3, for the call-centre telephony and other systems): the same <see cref="TicketQueries"/>
/// and <see cref="TicketService"/> the ticket pages call, as the caller, so routing, SLA deadlines, <see cref="TicketScope"/>,
/// history, notifications and audit apply as in the UI. A ticket outside the caller's scope is 404.
/// </summary>
public static class TicketsApi
{
    private const string Tag = "Tickets";

    public static RouteGroupBuilder MapTicketsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tickets", ListAsync).WithTags(Tag).WithName("ListTickets").WithSummary("Tickets within the caller's scope, filtered, most urgent first, paged.")
            .WithMetadata(new RequirePermissionAttribute(Module.Tickets, Operation.View))
            .ProducesValidationProblem();
        api.MapGet("/tickets/{id:guid}", GetAsync).WithTags(Tag).WithName("GetTicket").WithSummary("One ticket with its SLA clocks, comments and history; the ETag is its version.")
            .WithMetadata(new RequirePermissionAttribute(Module.Tickets, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/tickets", CreateAsync).WithTags(Tag).WithName("CreateTicket").WithSummary("Logs a ticket on a customer; it is routed, assigned and timed as in the UI.")
            .WithMetadata(new RequirePermissionAttribute(Module.Tickets, Operation.Create))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/tickets/{id:guid}/assignee", AssignAsync).WithTags(Tag).WithName("AssignTicket").WithSummary("Gives the ticket to someone; If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Tickets, Operation.Edit))
            .Produces<TicketResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPost("/tickets/{id:guid}/resolve", ResolveAsync).WithTags(Tag).WithName("ResolveTicket").WithSummary("Resolves the ticket with an optional reply to the customer; If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Tickets, Operation.Edit))
            .Produces<TicketResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPost("/tickets/{id:guid}/comments", CommentAsync).WithTags(Tag).WithName("CommentOnTicket")
            .WithSummary("Adds a reply to the customer or an internal note; it only adds, so no If-Match is needed.")
            .WithMetadata(new RequirePermissionAttribute(Module.Tickets, Operation.Edit))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<TicketListResource>> ListAsync([AsParameters] TicketListQuery query, TicketQueries queries, CancellationToken cancellationToken)
    {
        var sort = ApiEnums.Parse<TicketSort>(query.Sort, "sort") ?? TicketSort.Urgency;
        var paging = ApiPaging.Of(query.Page, query.PageSize);
        var result = await queries.ListAsync(query.ToFilter(), sort, query.Descending ?? false, paging.Skip, paging.PageSize, cancellationToken);
        return TypedResults.Ok(new TicketListResource([.. result.Items.Select(TicketListItemResource.From)], paging.Page, paging.PageSize, result.TotalCount));
    }

    private static async Task<Ok<TicketResource>> GetAsync(Guid id, TicketQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var detail = await queries.DetailAsync(id, cancellationToken);
        ETags.Set(response, detail.Summary.Version);
        return TypedResults.Ok(TicketResource.From(detail));
    }

    private static async Task<Created<TicketResource>> CreateAsync(NewTicket body, TicketService service, TicketQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var created = await service.CreateAsync(body.ToInput(), cancellationToken);
        var detail = await queries.DetailAsync(created.Id, cancellationToken);
        ETags.Set(response, detail.Summary.Version);
        return TypedResults.Created($"/api/v1/tickets/{detail.Summary.Id}", TicketResource.From(detail));
    }

    private static Task<IResult> AssignAsync(Guid id, TicketAssignment body, HttpContext context, TicketService service, TicketQueries queries, CancellationToken cancellationToken) =>
        IfMatchingAsync(context, id, queries, version => service.AssignAsync(id, version, body.AssigneeId ?? Guid.Empty, cancellationToken), cancellationToken);

    private static Task<IResult> ResolveAsync(Guid id, TicketResolution? body, HttpContext context, TicketService service, TicketQueries queries, CancellationToken cancellationToken) =>
        IfMatchingAsync(context, id, queries, version => service.ResolveAsync(id, version, body?.Reply, cancellationToken), cancellationToken);

    private static async Task<Created<TicketCommentResource>> CommentAsync(Guid id, NewTicketComment body, TicketService service, TicketQueries queries,
        HttpResponse response, CancellationToken cancellationToken)
    {
        var commentId = await service.CommentAsync(id, body.Body, body.IsInternal, cancellationToken);
        var detail = await queries.DetailAsync(id, cancellationToken);
        ETags.Set(response, detail.Summary.Version);
        var comment = detail.Comments.Single(c => c.Id == commentId);
        return TypedResults.Created($"/api/v1/tickets/{id}", new TicketCommentResource(comment.Id, ApiTime.Utc(comment.At), comment.ByName, comment.IsInternal, comment.Body));
    }

    private static Task<IResult> IfMatchingAsync(HttpContext context, Guid id, TicketQueries queries, Func<int, Task<TicketRef>> change, CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => queries.DetailAsync(id, cancellationToken), detail => detail.Summary.Version, change, TicketResource.From);
}
