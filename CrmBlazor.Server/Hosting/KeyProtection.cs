using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// <c>DataProtection</c>: the certificate that encrypts the data-protection keys stored in the database, from a .pfx
/// file (<c>CertificatePath</c> + <c>CertificatePassword</c>) or from the CurrentUser / LocalMachine "My" store
/// (<c>CertificateThumbprint</c>). Without one the keys are stored as plain XML.
/// </summary>
public sealed class KeyProtectionSettings
{
    public const string Section = "DataProtection";

    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? CertificateThumbprint { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateThumbprint);
}

/// <summary>
/// Encrypts the key ring at rest (ASVS 5.0 chapter 11, issue #12 §3): whoever reads the database (a backup, a
/// read-only login, a leaked dump) can otherwise forge sign-in cookies and antiforgery tokens with the plain keys.
/// </summary>
public static class KeyProtection
{
    /// <summary>Protects the keys with the configured certificate; a configured certificate that cannot be used stops start-up.</summary>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, KeyProtectionSettings settings)
    {
        if (!settings.IsConfigured)
        {
            return builder;
        }
        var certificate = Load(settings);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException(
                $"The data-protection certificate {Describe(settings)} has no private key: the stored keys could be encrypted but never read again.");
        }
        return builder.ProtectKeysWithCertificate(certificate);
    }

    /// <summary>The one start-up line when keys are stored unencrypted outside Development.</summary>
    public static void WarnIfUnprotected(KeyProtectionSettings settings, IHostEnvironment environment, ILogger logger)
    {
        if (!settings.IsConfigured && !environment.IsDevelopment())
        {
            logger.LogWarning("Data-protection keys are stored unencrypted in the database: anyone who can read it (a backup, a dump) can forge " +
                "sign-in cookies and antiforgery tokens. Set DataProtection:CertificatePath (+ CertificatePassword) or DataProtection:CertificateThumbprint.");
        }
    }

    private static X509Certificate2 Load(KeyProtectionSettings settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            try
            {
                return X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException(
                    $"The data-protection certificate {Describe(settings)} cannot be read ({ex.Message}). " +
                    "Check the path, the file's permissions and DataProtection:CertificatePassword.", ex);
            }
        }
        var thumbprint = settings.CertificateThumbprint!.Replace(" ", "", StringComparison.Ordinal);
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (CryptographicException)
            {
                continue; // this store does not exist on this machine
            }
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0)
            {
                return found[0];
            }
        }
        throw new InvalidOperationException(
            $"The data-protection certificate {Describe(settings)} is not in the CurrentUser or LocalMachine \"My\" store.");
    }

    private static string Describe(KeyProtectionSettings settings) =>
        string.IsNullOrWhiteSpace(settings.CertificatePath)
            ? $"with thumbprint {settings.CertificateThumbprint} (DataProtection:CertificateThumbprint)"
            : $"at {settings.CertificatePath} (DataProtection:CertificatePath)";
}
