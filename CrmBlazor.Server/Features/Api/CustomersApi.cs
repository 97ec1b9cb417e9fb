using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CrmBlazor.Server.Features.Api;

/// <summary>The list page's filters and sort as query parameters; <c>page</c> counts from 1.</summary>
public sealed record CustomerListQuery(
    [property: FromQuery(Name = "search")] string? Search,
    [property: FromQuery(Name = "industry")] string[]? Industry,
    [property: FromQuery(Name = "size")] string[]? Size,
    [property: FromQuery(Name = "status")] string[]? Status,
    [property: FromQuery(Name = "tier")] string[]? Tier,
    [property: FromQuery(Name = "ownerId")] Guid? OwnerId,
    [property: FromQuery(Name = "province")] string? Province,
    [property: FromQuery(Name = "city")] string? City,
    [property: FromQuery(Name = "tag")] Guid[]? Tag,
    [property: FromQuery(Name = "neverContacted")] bool? NeverContacted,
    [property: FromQuery(Name = "lastContactFrom")] DateTime? LastContactFrom,
    [property: FromQuery(Name = "lastContactTo")] DateTime? LastContactTo,
    [property: FromQuery(Name = "sort")] string? Sort,
    [property: FromQuery(Name = "descending")] bool? Descending,
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "pageSize")] int? PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public CustomerFilter ToFilter()
    {
        var sort = CustomerSort.Number;
        if (Sort is not null && (!Enum.TryParse(Sort, ignoreCase: true, out sort) || sort == CustomerSort.CustomField || int.TryParse(Sort, out _)))
        {
            throw new ValidationFailedException([new ValidationError("sort", "Validation.ApiSortUnknown", $"Sort by one of {string.Join(", ", SortNames)}.", string.Join(", ", SortNames))]);
        }
        return new CustomerFilter
        {
            Search = Search,
            Industries = Industry ?? [],
            Sizes = Size ?? [],
            Statuses = Status ?? [],
            Tiers = Tier ?? [],
            OwnerId = OwnerId,
            Province = Province,
            City = City,
            TagIds = Tag ?? [],
            NeverContacted = NeverContacted ?? false,
            LastContactFrom = LastContactFrom?.ToUniversalTime(),
            LastContactTo = LastContactTo?.ToUniversalTime(),
            Sort = sort,
            Descending = Descending ?? false,
        };
    }

    public static IEnumerable<string> SortNames =>
        Enum.GetValues<CustomerSort>().Where(s => s != CustomerSort.CustomField).Select(s => char.ToLowerInvariant(s.ToString()[0]) + s.ToString()[1..]);
}

/// <summary>
/// <c>/api/v1/customers</c>: the same <see cref="CustomerQueries"/> and <see cref="CustomerService"/> the pages call, as the
/// caller (person or key). The endpoint checks the matrix before reading a body; the services check it again with the scope.
/// </summary>
public static class CustomersApi
{
    private const string Tag = "Customers";

    public static RouteGroupBuilder MapCustomersApi(this RouteGroupBuilder api)
    {
        // Full paths on the version group, not a "/customers" subgroup: its "" route would be "/api/v1/customers/" (slash).
        var customers = api;
        customers.MapGet("/customers", ListAsync).WithTags(Tag).WithName("ListCustomers").WithSummary("Customers within the caller's scope, filtered, sorted and paged.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.View))
            .ProducesValidationProblem();
        customers.MapGet("/customers/{id:guid}", GetAsync).WithTags(Tag).WithName("GetCustomer").WithSummary("One customer with its contacts; the ETag is its version.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers.MapGet("/customers/by-number/{number}", GetByNumberAsync).WithTags(Tag).WithName("GetCustomerByNumber").WithSummary("One customer by its number (a merged customer's number leads to the survivor).")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        customers.MapPost("/customers", CreateAsync).WithTags(Tag).WithName("CreateCustomer").WithSummary("Creates a customer with its key contact.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.Create))
            .ProducesValidationProblem();
        customers.MapPut("/customers/{id:guid}", UpdateAsync).WithTags(Tag).WithName("UpdateCustomer").WithSummary("Replaces the customer's fields; If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.Edit))
            .Produces<CustomerResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        customers.MapPut("/customers/{id:guid}/status", ChangeStatusAsync).WithTags(Tag).WithName("ChangeCustomerStatus").WithSummary("Moves the customer along its lifecycle, with a reason; If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Customers, Operation.Edit))
            .Produces<CustomerResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<Ok<CustomerListResource>> ListAsync([AsParameters] CustomerListQuery query, CustomerQueries queries, CancellationToken cancellationToken)
    {
        var paging = ApiPaging.Of(query.Page, query.PageSize);
        var result = await queries.ListAsync(query.ToFilter(), paging.Page - 1, paging.PageSize, cancellationToken);
        return TypedResults.Ok(new CustomerListResource([.. result.Items.Select(CustomerListItemResource.From)], paging.Page, paging.PageSize, result.TotalCount));
    }

    private static async Task<Ok<CustomerResource>> GetAsync(Guid id, CustomerQueries queries, HttpResponse response, CancellationToken cancellationToken) =>
        WithETag(response, await queries.GetDetailsAsync(id, cancellationToken));

    private static async Task<Ok<CustomerResource>> GetByNumberAsync(string number, CustomerQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var id = await queries.ResolveNumberAsync(number, cancellationToken) ?? throw new NotFoundException(nameof(Customer), number);
        return WithETag(response, await queries.GetDetailsAsync(id, cancellationToken));
    }

    private static async Task<Created<CustomerResource>> CreateAsync(NewCustomer body, CustomerService service, CustomerQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var created = await service.CreateAsync(body.ToInput(keepCustomValues: false), (body.KeyContact ?? new ContactFields(null)).ToInput(), cancellationToken);
        var details = await queries.GetDetailsAsync(created.Id, cancellationToken);
        ETags.Set(response, details.Version);
        return TypedResults.Created($"/api/v1/customers/{details.Id}", CustomerResource.From(details));
    }

    private static Task<IResult> UpdateAsync(Guid id, CustomerFields body, HttpContext context, CustomerService service, CustomerQueries queries, CancellationToken cancellationToken) =>
        IfMatchingAsync(context, id, queries, version => service.UpdateAsync(id, version, body.ToInput(keepCustomValues: true), cancellationToken), cancellationToken);

    private static Task<IResult> ChangeStatusAsync(Guid id, StatusChange body, HttpContext context, CustomerService service, CustomerQueries queries, CancellationToken cancellationToken) =>
        IfMatchingAsync(context, id, queries, version => service.ChangeStatusAsync(id, version, body.Status ?? "", body.Reason, cancellationToken), cancellationToken);

    private static Task<IResult> IfMatchingAsync(HttpContext context, Guid id, CustomerQueries queries, Func<int, Task<Customer>> change, CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => queries.GetDetailsAsync(id, cancellationToken), details => details.Version, change, CustomerResource.From);

    private static Ok<CustomerResource> WithETag(HttpResponse response, CustomerDetails details)
    {
        ETags.Set(response, details.Version);
        return TypedResults.Ok(CustomerResource.From(details));
    }
}
