using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// <c>/api/v1/demands</c>: the same <see cref="DemandQueries"/> and <see cref="DemandService"/> the boards and the demand page
/// call, as the caller, so the matrix, the customer's scope, the audit log and the boards' live events apply. A demand's ETag is
/// its version, a task's its own. Closing a demand needs the customer's confirmation file (SPEC D3): the API does not upload
/// files, so a move to <c>done</c> is refused with a field error pointing to the demand's page.
/// </summary>
public static class DemandsApi
{
    private const string Tag = "Demands";

    public static RouteGroupBuilder MapDemandsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/demands", ListAsync).WithTags(Tag).WithName("ListDemands")
            .WithSummary("Demands on customers within the caller's scope, closed ones included, newest first; filtered by status, customer, owner, priority and text, paged.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.View))
            .ProducesValidationProblem();
        api.MapGet("/demands/{id:guid}", GetAsync).WithTags(Tag).WithName("GetDemand").WithSummary("One demand with its tasks and confirmation files; the ETag is its version.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/demands", CreateAsync).WithTags(Tag).WithName("CreateDemand").WithSummary("Raises a demand on a customer; its number and response deadline are given by the CRM.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.Create))
            .ProducesValidationProblem();
        api.MapPut("/demands/{id:guid}/status", MoveAsync).WithTags(Tag).WithName("MoveDemand")
            .WithSummary("Moves the demand on the board (open, inProgress, awaitingConfirmation); closing needs the customer's confirmation file, on the demand's page. If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.Edit))
            .Produces<DemandResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapPut("/demands/{id:guid}/owner", AssignAsync).WithTags(Tag).WithName("AssignDemand")
            .WithSummary("Gives the demand to an owner who may see the customer (to others: Supervisor, customer service or Admin); If-Match must carry the ETag read.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.Edit))
            .Produces<DemandResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        api.MapGet("/demands/{demandId:guid}/tasks/{taskId:guid}", GetTaskAsync).WithTags(Tag).WithName("GetDemandTask").WithSummary("One task of a demand; the ETag is the task's version.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.View))
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/demands/{id:guid}/tasks", AddTaskAsync).WithTags(Tag).WithName("AddDemandTask").WithSummary("Adds a task to the demand: a name, an owner who may see the customer, a planned completion.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.Edit))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/demands/{demandId:guid}/tasks/{taskId:guid}/status", MoveTaskAsync).WithTags(Tag).WithName("MoveDemandTask")
            .WithSummary("Moves a task (toDo, inProgress, delayed, done); delayed needs a reason and a later planned date. If-Match must carry the task's ETag.")
            .WithMetadata(new RequirePermissionAttribute(Module.Demands, Operation.Edit))
            .Produces<DemandTaskResource>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        return api;
    }

    private static async Task<Ok<DemandListResource>> ListAsync([AsParameters] DemandListQuery query, DemandQueries queries, CancellationToken cancellationToken)
    {
        var paging = ApiPaging.Of(query.Page, query.PageSize);
        var result = await queries.ListAsync(query.ToFilter(), paging.Page - 1, paging.PageSize, cancellationToken);
        return TypedResults.Ok(new DemandListResource([.. result.Items.Select(DemandListItemResource.From)], paging.Page, paging.PageSize, result.TotalCount));
    }

    private static async Task<Ok<DemandResource>> GetAsync(Guid id, DemandQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var detail = await queries.GetAsync(id, cancellationToken);
        ETags.Set(response, detail.Demand.Version);
        return TypedResults.Ok(DemandResource.From(detail));
    }

    private static async Task<Created<DemandResource>> CreateAsync(NewDemand body, DemandService service, DemandQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        Demand created;
        try
        {
            created = await service.CreateAsync(body.ToInput(), cancellationToken);
        }
        catch (CrmException refused) when (refused is NotFoundException or AccessDeniedException { IsOutOfScope: true })
        {
            // The customer the body names is missing or someone else's: a field of the request, not the resource, is wrong.
            throw new ValidationFailedException([new ValidationError(nameof(NewDemand.CustomerId), "Validation.ApiCustomerUnknown", "Give the id of a customer you may see.")]);
        }
        var detail = await queries.GetAsync(created.Id, cancellationToken);
        ETags.Set(response, detail.Demand.Version);
        return TypedResults.Created($"/api/v1/demands/{created.Id}", DemandResource.From(detail));
    }

    private static Task<IResult> MoveAsync(Guid id, DemandStatusChange body, HttpContext context, DemandService service, DemandQueries queries, CancellationToken cancellationToken) =>
        IfMatchingAsync(context, id, queries, version =>
        {
            var to = ApiEnums.Require<DemandStatus>(body.Status, nameof(body.Status));
            if (to == DemandStatus.Done)
            {
                throw new ValidationFailedException([new ValidationError(nameof(body.Status), "Validation.ApiDemandClosesOnPage",
                    "Closing a demand needs the customer's confirmation file: close it on the demand's page in the CRM.")]);
            }
            return service.MoveAsync(id, version, to, cancellationToken);
        }, cancellationToken);

    private static Task<IResult> AssignAsync(Guid id, OwnerChange body, HttpContext context, DemandService service, DemandQueries queries, CancellationToken cancellationToken) =>
        IfMatchingAsync(context, id, queries, version => body.OwnerId is { } owner
            ? service.AssignAsync(id, version, owner, cancellationToken)
            : throw new ValidationFailedException([new ValidationError(nameof(body.OwnerId), "Validation.OwnerRequired", "Choose an active owner who may see this customer.")]),
            cancellationToken);

    private static async Task<Ok<DemandTaskResource>> GetTaskAsync(Guid demandId, Guid taskId, DemandQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var task = await ReadTaskAsync(queries, demandId, taskId, cancellationToken);
        ETags.Set(response, task.Task.Version);
        return TypedResults.Ok(DemandTaskResource.From(task));
    }

    private static async Task<Created<DemandTaskResource>> AddTaskAsync(Guid id, NewDemandTask body, DemandService service, DemandQueries queries, HttpResponse response, CancellationToken cancellationToken)
    {
        var added = await service.AddTaskAsync(id, body.ToInput(), cancellationToken);
        var task = await ReadTaskAsync(queries, id, added.Id, cancellationToken);
        ETags.Set(response, task.Task.Version);
        return TypedResults.Created($"/api/v1/demands/{id}/tasks/{added.Id}", DemandTaskResource.From(task));
    }

    private static Task<IResult> MoveTaskAsync(Guid demandId, Guid taskId, TaskStatusChange body, HttpContext context, DemandService service, DemandQueries queries, CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => ReadTaskAsync(queries, demandId, taskId, cancellationToken), task => task.Task.Version,
            version => service.MoveTaskAsync(taskId, version, ApiEnums.Require<DemandTaskStatus>(body.Status, nameof(body.Status)), body.DelayReason, body.NewPlannedAt, cancellationToken),
            DemandTaskResource.From);

    private static Task<IResult> IfMatchingAsync(HttpContext context, Guid id, DemandQueries queries, Func<int, Task> change, CancellationToken cancellationToken) =>
        ETags.IfMatchingAsync(context, () => queries.GetAsync(id, cancellationToken), detail => detail.Demand.Version, change, DemandResource.From);

    /// <summary>The task, read through its demand (so within the caller's scope); a task of another demand is not found.</summary>
    private static async Task<TaskDetail> ReadTaskAsync(DemandQueries queries, Guid demandId, Guid taskId, CancellationToken cancellationToken) =>
        (await queries.GetAsync(demandId, cancellationToken)).Tasks.SingleOrDefault(t => t.Task.Id == taskId)
            ?? throw new NotFoundException(nameof(DemandTask), taskId);
}
