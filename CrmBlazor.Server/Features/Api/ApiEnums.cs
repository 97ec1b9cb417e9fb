using CrmBlazor.Domain.Common;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// Domain enums as the API spells them: camelCase names (<c>inProgress</c>), read back case-insensitively. A name the enum
/// does not have is a validation problem on its field, listing the names it takes.
/// </summary>
public static class ApiEnums
{
    public static string Name<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name);

    /// <summary>The value named <paramref name="text"/>; null when it is blank.</summary>
    public static T? Parse<T>(string? text, string field) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && !int.TryParse(text, out _) && Enum.IsDefined(value))
        {
            return value;
        }
        throw Unknown<T>(field);
    }

    /// <summary>The value named <paramref name="text"/>, which must be given.</summary>
    public static T Require<T>(string? text, string field) where T : struct, Enum => Parse<T>(text, field) ?? throw Unknown<T>(field);

    private static ValidationFailedException Unknown<T>(string field) where T : struct, Enum
    {
        var names = string.Join(", ", Names<T>());
        return new ValidationFailedException([new ValidationError(field, "Validation.ApiValueUnknown", $"Use one of {names}.", names)]);
    }
}
