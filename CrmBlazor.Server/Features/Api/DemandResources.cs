using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Demands;
using Microsoft.AspNetCore.Mvc;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// A demand as the API returns it, from the demand page's <see cref="DemandDetail"/>: its tasks (each with its own version,
/// the ETag a task's move needs) and the customer's confirmation files on record. Statuses and priorities are camelCase
/// names (<c>open</c>, <c>inProgress</c>, <c>awaitingConfirmation</c>, <c>done</c>; <c>high</c>, <c>medium</c>, <c>low</c>).
/// </summary>
public sealed record DemandResource(
    Guid Id, string Number, Guid CustomerId, string CustomerNumber, string CustomerName, string Description, string Type,
    string Priority, string Status, Guid OwnerId, string OwnerName, DateTime ResponseDueAt, DateTime? RespondedAt,
    DateTime? ClosedAt, string? ClosedByName, DateTime CreatedAt, DateTime UpdatedAt, int Version,
    IReadOnlyList<DemandTaskResource> Tasks, IReadOnlyList<DemandEvidenceResource> Evidence)
{
    public static DemandResource From(DemandDetail detail)
    {
        var d = detail.Demand;
        return new(d.Id, d.Number, d.CustomerId, detail.CustomerNumber, detail.CustomerName, d.Description, d.Type,
            ApiEnums.Name(d.Priority), ApiEnums.Name(d.Status), d.OwnerId, detail.OwnerName, ApiTime.Utc(d.ResponseDueAt), ApiTime.Utc(d.RespondedAt),
            ApiTime.Utc(d.ClosedAt), d.ClosedByName, ApiTime.Utc(d.CreatedAt), ApiTime.Utc(d.UpdatedAt), d.Version,
            [.. detail.Tasks.Select(DemandTaskResource.From)],
            [.. d.Evidence.Select(e => new DemandEvidenceResource(e.Id, e.FileName, e.ContentType, e.Size, ApiTime.Utc(e.UploadedAt), e.UploadedByName))]);
    }
}

/// <summary>A task of a demand: <c>toDo</c>, <c>inProgress</c>, <c>delayed</c> or <c>done</c>, with every delay and its reason.</summary>
public sealed record DemandTaskResource(
    Guid Id, Guid DemandId, string Name, Guid OwnerId, string OwnerName, DateTime PlannedAt, string Status, DateTime? DoneAt,
    DateTime CreatedAt, int Version, IReadOnlyList<TaskDelayResource> Delays)
{
    public static DemandTaskResource From(TaskDetail detail)
    {
        var t = detail.Task;
        return new(t.Id, t.DemandId, t.Name, t.OwnerId, detail.OwnerName, ApiTime.Utc(t.PlannedAt), ApiEnums.Name(t.Status), ApiTime.Utc(t.DoneAt),
            ApiTime.Utc(t.CreatedAt), t.Version,
            [.. t.Delays.Select(d => new TaskDelayResource(d.Reason, ApiTime.Utc(d.OldPlannedAt), ApiTime.Utc(d.NewPlannedAt), ApiTime.Utc(d.At), d.ByName))]);
    }
}

public sealed record TaskDelayResource(string Reason, DateTime OldPlannedAt, DateTime NewPlannedAt, DateTime At, string? ByName);

/// <summary>A file of the customer's confirmation, by name (its content is downloaded on the demand's page).</summary>
public sealed record DemandEvidenceResource(Guid Id, string FileName, string ContentType, long Size, DateTime UploadedAt, string? UploadedByName);

/// <summary>A row of the demand list, from the board's <see cref="DemandCard"/>.</summary>
public sealed record DemandListItemResource(
    Guid Id, string Number, Guid CustomerId, string CustomerName, string Description, string Priority, string Status,
    Guid OwnerId, string OwnerName, DateTime ResponseDueAt, DateTime? RespondedAt, int Tasks, int TasksDone, int Version)
{
    public static DemandListItemResource From(DemandCard c) => new(
        c.Id, c.Number, c.CustomerId, c.CustomerName, c.Description, ApiEnums.Name(c.Priority), ApiEnums.Name(c.Status),
        c.OwnerId, c.OwnerName, ApiTime.Utc(c.ResponseDueAt), ApiTime.Utc(c.RespondedAt), c.Tasks, c.TasksDone, c.Version);
}

/// <summary>One page of the list: <paramref name="Page"/> counts from 1; <paramref name="Total"/> is every match within scope.</summary>
public sealed record DemandListResource(IReadOnlyList<DemandListItemResource> Items, int Page, int PageSize, int Total);

/// <summary>The list's filters as query parameters, newest first; <c>page</c> counts from 1.</summary>
public sealed record DemandListQuery(
    [property: FromQuery(Name = "status")] string[]? Status,
    [property: FromQuery(Name = "customerId")] Guid? CustomerId,
    [property: FromQuery(Name = "ownerId")] Guid? OwnerId,
    [property: FromQuery(Name = "priority")] string? Priority,
    [property: FromQuery(Name = "search")] string? Search,
    [property: FromQuery(Name = "page")] int? Page,
    [property: FromQuery(Name = "pageSize")] int? PageSize)
{
    public DemandListFilter ToFilter() => new()
    {
        Statuses = [.. (Status ?? []).Select(s => ApiEnums.Require<DemandStatus>(s, "status"))],
        CustomerId = CustomerId,
        OwnerId = OwnerId,
        Priority = ApiEnums.Parse<DemandPriority>(Priority, "priority"),
        Search = Search,
    };
}

/// <summary>
/// A new demand on a customer in the caller's scope: <c>type</c> is a code of the DemandType dictionary (<c>existing</c> or
/// <c>potential</c>); <c>priority</c> defaults to <c>medium</c>. Only a Supervisor, the service desk or an Admin gives it to
/// another owner; anyone else owns what they raise.
/// </summary>
public sealed record NewDemand(Guid? CustomerId, string? Description, string? Type, string? Priority, Guid? OwnerId)
{
    public DemandInput ToInput() => new(
        CustomerId ?? throw new ValidationFailedException([new ValidationError(nameof(CustomerId), "Validation.ApiCustomerUnknown", "Give the id of a customer you may see.")]),
        Description, Type, ApiEnums.Parse<DemandPriority>(Priority, nameof(Priority)) ?? DemandPriority.Medium, OwnerId);
}

/// <summary>A move on the board: <c>open</c>, <c>inProgress</c> or <c>awaitingConfirmation</c> (closing is done on the demand's page).</summary>
public sealed record DemandStatusChange(string? Status);

public sealed record OwnerChange(Guid? OwnerId);

/// <summary>A new task: its name, owner (someone who may see the customer) and planned completion (ISO-8601; without an offset, company time).</summary>
public sealed record NewDemandTask(string? Name, Guid? OwnerId, DateTime? PlannedAt)
{
    public TaskInput ToInput() => new(Name, OwnerId, PlannedAt);
}

/// <summary>A task's move; <c>delayed</c> needs <c>delayReason</c> and a later <c>newPlannedAt</c>.</summary>
public sealed record TaskStatusChange(string? Status, string? DelayReason, DateTime? NewPlannedAt);
