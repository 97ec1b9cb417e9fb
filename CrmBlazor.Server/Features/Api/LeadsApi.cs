using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// The lead list's filters: <c>view</c> mine, pool or all (the default: every lead the caller may see), <c>status</c>
/// (new, contacted, qualified, converted, disqualified), <c>openOnly</c> (no converted or disqualified ones), <c>search</c>
/// (company, contact, number, mobile, e-mail); <c>page</c> counts from 1.
/// </summary>
public sealed record LeadListQuery(
    [property: FromQuery(Name = "view")] string? View,
    [property: FromQuery(Name = "status")] string? Status,
    [property: FromQuery(Name = "openOnly")] bool? OpenOnly,
    [property: FromQuery(Name = "search")] string? Search,
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "pageSize")] int? PageSize)
{
    public LeadFilter ToFilter() => new()
    {
        View = ApiEnums.Parse<LeadView>(View, "view") ?? LeadView.All,
        Status = ApiEnums.Parse<LeadStatus>(Status, "status"),
        OpenOnly = OpenOnly ?? false,
        Search = Search,
    };
}

/// <summary>
/// <c>/api/v1/leads</c> (SPEC F1, for the website's contact form and other systems): the same <see cref="LeadQueries"/> and
/// <see cref="LeadService"/> the lead pages call, as the caller, so pools, <see cref="LeadScope"/>, assignment approvals,
/// notifications and audit apply as in the UI. A lead outside the caller's scope is 404.
/// </summary>
public static class LeadsApi
{
    private const string Tag = "Leads";

    public static RouteGroupBuilder MapLeadsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/leads", ListAsync).WithTags(Tag).WithName("ListLeads").WithSummary("Leads within the caller's scope, filtered and paged (pools oldest first, otherwise newest first).")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.View))
            .ProducesValidationProblem();
        api.MapGet("/leads/{id:guid}", GetAsync).WithTags(Tag).WithName("GetLead").WithSummary("One lead, with the customer and opportunity it became; the ETag is its version.")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/leads/{id:guid}/matches", MatchesAsync).WithTags(Tag).WithName("ListLeadMatches")
            .WithSummary("Existing customers the lead may already be, strongest first: attach to one of them when converting.")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/leads", CreateAsync).WithTags(Tag).WithName("CreateLead").WithSummary("Creates a lead: the caller's own, or waiting in a pool.")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.Create))
            .ProducesValidationProblem();
        api.MapPut("/leads/{id:guid}/owner", AssignAsync).WithTags(Tag).WithName("AssignLead")
            .WithSummary("A supervisor or Admin gives the lead to a rep (or files the approval it needs); If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.Edit))
            .Produces<LeadResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPut("/leads/{id:guid}/status", ChangeStatusAsync).WithTags(Tag).WithName("ChangeLeadStatus")
            .WithSummary("The lead's owner (or their supervisor) works it: new, contacted, qualified, or disqualified with a reason; If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.Edit))
            .Produces<LeadResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPost("/leads/{id:guid}/convert", ConvertAsync).WithTags(Tag).WithName("ConvertLead")
            .WithSummary("Converts a qualified lead into a new or an existing customer and an opportunity; If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Pipeline, Operation.Create))
            .Produces<LeadConversionResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<Ok<LeadListResource>> ListAsync([AsParameters] LeadListQuery query, LeadQueries queries, CancellationToken cancellationToken)
    {
        var paging = ApiPaging.Of(query.Page, query.PageSize);
        var result = await queries.ListAsync(query.ToFilter(), paging.Skip, paging.PageSize, cancellationToken);
        return TypedResults.Ok(new LeadListResource([.. result.Rows.Select(LeadListItemResource.From)], paging.Page, paging.PageSize, result.Total));
    }

    private static async Task<Ok<LeadResource>> GetAsync(Guid id, LeadQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var detail = await queries.GetAsync(id, cancellationToken);
        ETags.Set(response, detail.Lead.Version);
        return TypedResults.Ok(LeadResource.From(detail));
    }

    private static async Task<Ok<IReadOnlyList<LeadMatchResource>>> MatchesAsync(Guid id, LeadQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<LeadMatchResource>>([.. (await queries.MatchesAsync(id, cancellationToken)).Select(LeadMatchResource.From)]);

    private static async Task<Created<LeadResource>> CreateAsync(NewLead body, LeadService service, LeadQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var created = await service.CreateAsync(body.ToInput(), cancellationToken);
        var detail = await queries.GetAsync(created.Id, cancellationToken);
        ETags.Set(response, detail.Lead.Version);
        return TypedResults.Created($"/api/v1/leads/{detail.Lead.Id}", LeadResource.From(detail));
    }

    private static Task<IResult> AssignAsync(Guid id, LeadOwnerChange body, HttpContext context, LeadService service, LeadQueries queries, CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => queries.GetAsync(id, cancellationToken), detail => detail.Lead.Version,
            version => service.AssignAsync(id, version, body.OwnerId ?? Guid.Empty, cancellationToken), LeadResource.From);

    private static Task<IResult> ChangeStatusAsync(Guid id, LeadStatusChange body, HttpContext context, LeadService service, LeadQueries queries, CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => queries.GetAsync(id, cancellationToken), detail => detail.Lead.Version,
            async version =>
            {
                var status = ApiEnums.Require<LeadStatus>(body.Status, "status");
                try
                {
                    _ = status == LeadStatus.Disqualified
                        ? await service.DisqualifyAsync(id, version, body.Reason, cancellationToken)
                        : await service.SetStatusAsync(id, version, status, cancellationToken);
                }
                catch (ValidationFailedException invalid)
                {
                    throw new ValidationFailedException([.. invalid.Errors.Select(e => e with { Field = LeadStatusChange.JsonField(e.Field) })]);
                }
            },
            LeadResource.From);

    /// <summary>As the convert dialog: the opportunity is named after the company unless the body names it.</summary>
    private static Task<IResult> ConvertAsync(Guid id, LeadConversionRequest body, HttpContext context, LeadService service, LeadQueries queries,
        IStringLocalizer<SharedResource> texts, CancellationToken cancellationToken)
    {
        LeadDetail? current = null;
        LeadConversionResult? result = null;
        return ETags.IfMatchingAsync(context, async () => current = await queries.GetAsync(id, cancellationToken), detail => detail.Lead.Version,
            async version =>
            {
                var conversion = body.ToConversion();
                if (string.IsNullOrWhiteSpace(conversion.OpportunityName))
                {
                    conversion = conversion with { OpportunityName = texts["Lead.DefaultOpportunityName", current!.Lead.Company].Value };
                }
                try
                {
                    result = await service.ConvertAsync(id, version, conversion, cancellationToken);
                }
                catch (ValidationFailedException invalid)
                {
                    throw new ValidationFailedException([.. invalid.Errors.Select(e => e with { Field = LeadConversionRequest.JsonField(e.Field) })]);
                }
            },
            detail => new LeadConversionResource(result!.CustomerId, result.CustomerNumber, result.CustomerCreated, result.OpportunityId, result.OpportunityNumber,
                LeadResource.From(detail)));
    }
}
