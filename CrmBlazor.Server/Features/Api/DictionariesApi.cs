using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Dictionaries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// <c>/api/v1/dictionaries</c>: the lists Admin maintains, read through <see cref="DictionaryService"/>, which reads them
/// for everyone: any authenticated caller (every role may view something, and every form offers these choices), no matrix
/// cell. Inactive items are listed and flagged, since they still label old records; new records may only choose active ones.
/// </summary>
public static class DictionariesApi
{
    private const string Tag = "Dictionaries";

    public static RouteGroupBuilder MapDictionariesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/dictionaries", Kinds).WithTags(Tag).WithName("ListDictionaries")
            .WithSummary("The dictionaries (kinds), each with its name in the caller's language.");
        api.MapGet("/dictionaries/{kind}", GetAsync).WithTags(Tag).WithName("GetDictionary")
            .WithSummary("One dictionary's items in order: the code records store, both labels, whether it is active.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static Ok<DictionaryKindListResource> Kinds(IStringLocalizer<SharedResource> texts) =>
        TypedResults.Ok(new DictionaryKindListResource([.. Enum.GetValues<DictionaryKind>().Select(k => DictionaryKindResource.Of(k, texts))]));

    private static async Task<Ok<DictionaryResource>> GetAsync(string kind, DictionaryService dictionaries, IStringLocalizer<SharedResource> texts, CancellationToken cancellationToken)
    {
        var parsed = DictionaryKindResource.Parse(kind) ?? throw new NotFoundException(nameof(DictionaryKind), kind);
        var entries = await dictionaries.EntriesAsync(parsed, cancellationToken);
        var (name, label) = DictionaryKindResource.Of(parsed, texts);
        return TypedResults.Ok(new DictionaryResource(name, label, [.. entries.Select(e => new DictionaryItemResource(e.Code, e.LabelZh, e.LabelEn, e.IsActive, e.Order))]));
    }
}
