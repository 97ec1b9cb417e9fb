using CrmBlazor.Domain.Data;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// What the import engine (<see cref="CustomerImport"/>) asks of one kind of row (<see cref="ImportKind"/>): which header
/// columns it needs, how a row reads and checks on its own (duplicates of earlier rows included), and how a chunk of rows
/// checks against the database — at the preview and again, inside its transaction, as each batch is written.
/// </summary>
public interface IImportRows
{
    (IReadOnlyList<string> Missing, IReadOnlyList<string> Ignored) CheckHeaders(IEnumerable<string> headers);

    ImportRow Read(IDictionary<string, object?> raw, int index);

    Task CheckAgainstDatabaseAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken);
}
