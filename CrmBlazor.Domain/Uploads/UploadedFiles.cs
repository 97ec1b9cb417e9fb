using System.Text;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Domain.Uploads;

/// <summary>Where uploaded files (demand evidence, ticket attachments) live, outside wwwroot, and how large and how many one upload may be.</summary>
public sealed record UploadStorage(string Root, long MaxBytes = 10 * 1024 * 1024, int MaxFiles = 10);

/// <summary>One file the user chose: its name and its content, read once.</summary>
public sealed record FileUpload(string FileName, Stream Content);

/// <summary>A checked file on disk: the user's name for it, the generated name it is stored under, its type and size.</summary>
public sealed record StoredFile(string FileName, string StoredName, string ContentType, long Size);

/// <summary>
/// Stores uploaded files for demands (SPEC D3, the customer's confirmation) and tickets (SPEC G1 attachments). The
/// extension must name what the content is: images (PNG, JPEG), PDF, e-mails (.eml as RFC 822 text, .msg as an Outlook
/// compound file). Files are saved under generated names, never the user's, and only after the size and content check passed.
/// </summary>
public sealed partial class UploadedFiles(UploadStorage storage, ILogger<UploadedFiles> logger)
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

    /// <summary>The extensions accepted, for a file picker's <c>accept</c>.</summary>
    public static string Accept { get; } = string.Join(",", ContentTypes.Keys);

    public long MaxBytes => storage.MaxBytes;
    public int MaxFiles => storage.MaxFiles;

    /// <summary>Refuses an upload of more than <see cref="MaxFiles"/> files: asked before the upload is counted or anything is read.</summary>
    public void CheckCount(int count, string field)
    {
        if (count > storage.MaxFiles)
        {
            throw Refused(field, "Validation.UploadTooMany", $"At most {storage.MaxFiles} files.", storage.MaxFiles);
        }
    }

    /// <summary>
    /// Saves every file or none: too many are refused before anything is read, and when one file is refused the ones
    /// already saved are removed. The caller removes them too (<see cref="DeleteStored"/>) if its own save fails.
    /// </summary>
    public async Task<List<StoredFile>> SaveAllAsync(IReadOnlyList<FileUpload> files, string field, CancellationToken cancellationToken)
    {
        CheckCount(files.Count, field);
        var saved = new List<StoredFile>();
        try
        {
            foreach (var file in files)
            {
                saved.Add(await SaveAsync(file, field, cancellationToken));
            }
        }
        catch
        {
            DeleteStored(saved.Select(s => s.StoredName));
            throw;
        }
        return saved;
    }

    /// <summary>Saves <paramref name="upload"/> under a new name if it is what it claims; otherwise a validation error naming the file.</summary>
    public async Task<StoredFile> SaveAsync(FileUpload upload, string field, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(upload.FileName.Replace('\\', '/'));
        var extension = Path.GetExtension(fileName);
        if (!ContentTypes.TryGetValue(extension, out var contentType))
        {
            throw Refused(field, "Validation.UploadType", $"{fileName}: only PNG, JPEG, PDF, .eml and .msg files are accepted.", fileName);
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
                throw Refused(field, "Validation.UploadTooLarge", $"{fileName} is larger than {storage.MaxBytes / 1024 / 1024} MB.", fileName, storage.MaxBytes / 1024 / 1024);
            }
            if (!await ContentMatchesAsync(path, contentType, cancellationToken))
            {
                throw Refused(field, "Validation.UploadContent", $"{fileName}: the content is not a {extension} file.", fileName);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new StoredFile(fileName, storedName, contentType, size);
    }

    public Stream Open(string storedName) =>
        new FileStream(Path.Combine(storage.Root, Path.GetFileName(storedName)), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    /// <summary>
    /// The stored names of the files of these customers' demands and tickets: read before the customers are deleted (the
    /// rows go by cascade), removed with <see cref="DeleteStored"/> once the deletion has committed.
    /// </summary>
    public static async Task<List<string>> StoredNamesOfCustomersAsync(CrmDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken)
    {
        var evidence = await db.DemandEvidence.Where(e => db.Demands.Any(d => d.Id == e.DemandId && customerIds.Contains(d.CustomerId)))
            .Select(e => e.StoredName).ToListAsync(cancellationToken);
        var attachments = await db.TicketAttachments.Where(a => db.Tickets.Any(t => t.Id == a.TicketId && customerIds.Contains(t.CustomerId)))
            .Select(a => a.StoredName).ToListAsync(cancellationToken);
        return [.. evidence, .. attachments];
    }

    /// <summary>
    /// Removes the files of rows that are gone (or were never saved). A file that cannot be removed is logged and left
    /// behind: the deletion the user asked for has happened and is not undone for it.
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
                logger.LogWarning(ex, "Uploaded file {StoredName} could not be removed from {Root}", storedName, storage.Root);
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
