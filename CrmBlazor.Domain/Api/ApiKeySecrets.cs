using System.Security.Cryptography;
using System.Text;

namespace CrmBlazor.Domain.Api;

/// <summary>
/// The token format <c>crm_{prefix}_{secret}</c>: a 16-character hex prefix (8 random bytes) to find the row, and
/// 32 random bytes (base64url) as the secret, of which only the SHA-256 is stored.
/// </summary>
public static class ApiKeySecrets
{
    public const string Scheme = "crm_";
    private const int PrefixBytes = 8;
    private const int SecretBytes = 32;

    public sealed record NewSecret(string Prefix, string Token, string Hash);

    public static NewSecret Create()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixBytes));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return new NewSecret(prefix, $"{Scheme}{prefix}_{secret}", HashOf(secret));
    }

    /// <summary>The prefix and secret of a well-formed token; false for anything else.</summary>
    public static bool TryParse(string? token, out string prefix, out string secret)
    {
        (prefix, secret) = ("", "");
        if (token is null || !token.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = token[Scheme.Length..];
        var separator = rest.IndexOf('_', StringComparison.Ordinal);
        if (separator != PrefixBytes * 2 || rest.Length - separator - 1 < 32 || rest.Length > 128)
        {
            return false;
        }
        (prefix, secret) = (rest[..separator], rest[(separator + 1)..]);
        return prefix.All(char.IsAsciiHexDigitLower);
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in constant time.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
