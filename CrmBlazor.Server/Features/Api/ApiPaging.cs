namespace CrmBlazor.Server.Features.Api;

/// <summary>A list's <c>page</c> (from 1) and <c>pageSize</c> (50 by default, at most <see cref="CustomerListQuery.MaxPageSize"/>), and the rows to skip.</summary>
public readonly record struct ApiPaging(int Page, int PageSize)
{
    public int Skip => (Page - 1) * PageSize;

    public static ApiPaging Of(int? page, int? pageSize) =>
        new(Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? CustomerListQuery.DefaultPageSize, 1, CustomerListQuery.MaxPageSize));
}
