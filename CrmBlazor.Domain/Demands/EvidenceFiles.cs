using System.Text;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Domain.Demands;

/// <summary>Where evidence files live (outside wwwroot) and how large one may be.</summary>
public sealed record EvidenceStorage(string Root, long MaxBytes = 10 * 1024 * 1024, int MaxFiles = 10);

/// <summary>One file the user chose: its name and its content, read once.</summary>
public sealed record EvidenceUpload(string FileName, Stream Content);

/// <summary>
/// Stores customer-confirmation files (SPEC D3). The extension must name what the content is:
/// images (PNG, JPEG), PDF, e-mails (.eml as RFC 822 text, .msg as an Outlook compound file). Files are
/// saved under generated names, never the user's, and only after the size and content check passed.
/// </summary>
public sealed partial class EvidenceFiles(EvidenceStorage storage, ILogger<EvidenceFiles> logger)
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".pdf"] = "application/pdf",
        [".eml"] = "message/rfc822",
        [".msg"] = "application/vnd.ms-outlook",
    };

    public long MaxBytes => storage.MaxBytes;
    public int MaxFiles => storage.MaxFiles;

    /// <summary>Saves <paramref name="upload"/> under a new name if it is what it claims; otherwise a validation error naming the file.</summary>
    public async Task<DemandEvidence> SaveAsync(EvidenceUpload upload, string field, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(upload.FileName.Replace('\\', '/'));
        var extension = Path.GetExtension(fileName);
        if (!ContentTypes.TryGetValue(extension, out var contentType))
        {
            throw Refused(field, "Validation.EvidenceType", $"{fileName}: only PNG, JPEG, PDF, .eml and .msg files are accepted.", fileName);
        }
        Directory.CreateDirectory(storage.Root);
        var storedName = $"{Guid.CreateVersion7():N}{extension.ToLowerInvariant()}";
        var path = Path.Combine(storage.Root, storedName);
        long size;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                size = await CopyBoundedAsync(upload.Content, file, storage.MaxBytes, cancellationToken);
            }
            if (size < 0)
            {
                throw Refused(field, "Validation.EvidenceTooLarge", $"{fileName} is larger than {storage.MaxBytes / 1024 / 1024} MB.", fileName, storage.MaxBytes / 1024 / 1024);
            }
            if (!await ContentMatchesAsync(path, contentType, cancellationToken))
            {
                throw Refused(field, "Validation.EvidenceContent", $"{fileName}: the content is not a {extension} file.", fileName);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new DemandEvidence { FileName = fileName, StoredName = storedName, ContentType = contentType, Size = size };
    }

    public Stream Open(DemandEvidence evidence) =>
        new FileStream(Path.Combine(storage.Root, Path.GetFileName(evidence.StoredName)), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    public void Delete(DemandEvidence evidence) => File.Delete(Path.Combine(storage.Root, Path.GetFileName(evidence.StoredName)));

    /// <summary>The stored names of the evidence of these customers' demands: read before the customers are deleted (the rows go by cascade).</summary>
    public static Task<List<string>> StoredNamesOfCustomersAsync(CrmDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken) =>
        db.DemandEvidence.Where(e => db.Demands.Any(d => d.Id == e.DemandId && customerIds.Contains(d.CustomerId)))
            .Select(e => e.StoredName).ToListAsync(cancellationToken);

    /// <summary>
    /// Removes the files of rows that are gone, once their deletion has committed. A file that cannot be removed
    /// is logged and left behind: the deletion the user asked for has happened and is not undone for it.
    /// </summary>
    public void DeleteStored(IEnumerable<string> storedNames)
    {
        foreach (var storedName in storedNames)
        {
            try
            {
                File.Delete(Path.Combine(storage.Root, Path.GetFileName(storedName)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Evidence file {StoredName} of a deleted demand could not be removed from {Root}", storedName, storage.Root);
            }
        }
    }

    /// <summary>Copies at most <paramref name="max"/> bytes; -1 when the source holds more.</summary>
    private static async Task<long> CopyBoundedAsync(Stream source, Stream target, long max, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > max)
            {
                return -1;
            }
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return total;
    }

    private static async Task<bool> ContentMatchesAsync(string path, string contentType, CancellationToken cancellationToken)
    {
        var head = new byte[4096];
        int length;
        await using (var file = File.OpenRead(path))
        {
            length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        var bytes = head.AsSpan(0, length);
        return contentType switch
        {
            "image/png" => bytes.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            "image/jpeg" => bytes.StartsWith((byte[])[0xFF, 0xD8, 0xFF]),
            "application/pdf" => bytes.StartsWith("%PDF-"u8),
            "application/vnd.ms-outlook" => bytes.StartsWith((byte[])[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            "message/rfc822" => IsMailText(bytes),
            _ => false,
        };
    }

    /// <summary>An RFC 822 message starts with header lines; no NUL bytes, and at least one of the headers every mail has.</summary>
    private static bool IsMailText(ReadOnlySpan<byte> bytes) =>
        bytes.Length > 0 && !bytes.Contains((byte)0) && MailHeader().IsMatch(Encoding.UTF8.GetString(bytes));

    [GeneratedRegex(@"^(From|To|Subject|Date|Received|Message-ID|MIME-Version|Return-Path):", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MailHeader();

    private static ValidationFailedException Refused(string field, string key, string message, params object[] args) =>
        new([new ValidationError(field, key, message, args)]);
}
