using CrmBlazor.Domain.Data;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// What the import engine (<see cref="CustomerImport"/>) asks of one kind of row (<see cref="ImportKind"/>): the fields a
/// sheet's columns may be mapped to (<see cref="ImportColumnMapping"/>), how a row reads through that mapping and checks on
/// its own (duplicates of earlier rows included), and how a chunk of rows checks against the database — at the preview and
/// again, inside its transaction, as each batch is written.
/// </summary>
public interface IImportRows
{
    IReadOnlyList<ImportTarget> Targets { get; }

    /// <summary>Reads the sheet's columns as <paramref name="map"/> (heading → field key) says, before the first row.</summary>
    void UseColumns(IReadOnlyDictionary<string, string> map);

    /// <summary>Replaces values of coded columns as the user chose (field key → value as written → code), before the first row.</summary>
    void UseValues(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> map);

    /// <summary>The distinct coded values the rows read so far held outside their lists.</summary>
    ImportValueTally Values { get; }

    /// <summary>Row <paramref name="index"/> (0-based over the data rows), which Excel numbers <paramref name="rowNumber"/>.</summary>
    ImportRow Read(IDictionary<string, object?> raw, int index, int rowNumber);

    Task CheckAgainstDatabaseAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken);
}
