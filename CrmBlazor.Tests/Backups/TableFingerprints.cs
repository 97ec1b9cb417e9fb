using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmBlazor.Tests.Backups;

/// <summary>One table's row count and a SHA-256 over all its rows, every column, in primary-key order.</summary>
public sealed record TableFingerprint(string Table, int Rows, string Checksum);

/// <summary>
/// The fingerprint of every table of the EF model in a database: what the restore drill compares before the backup
/// and after the restore. Values are hashed as the provider returns them, so two databases of one provider compare.
/// </summary>
public static class TableFingerprints
{
    public static async Task<IReadOnlyDictionary<string, TableFingerprint>> OfAsync(DatabaseSettings database)
    {
        await using var db = DomainServices.CreateSystemContext(database, TimeProvider.System);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        try
        {
            var result = new SortedDictionary<string, TableFingerprint>(StringComparer.Ordinal);
            foreach (var (table, keys) in Tables(db.Model))
            {
                result[table] = await FingerprintAsync(connection, table, keys);
            }
            return result;
        }
        finally
        {
            await connection.CloseAsync();
        }
    }

    /// <summary>Every mapped table once, with its primary-key columns.</summary>
    private static IEnumerable<(string Table, IReadOnlyList<string> Keys)> Tables(IModel model) =>
        model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && e.FindPrimaryKey() is not null && !e.IsOwned())
            .GroupBy(e => e.GetTableName()!)
            .Select(g =>
            {
                var entity = g.First();
                var table = StoreObjectIdentifier.Table(g.Key, entity.GetSchema());
                return (g.Key, (IReadOnlyList<string>)entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(table)!).ToList());
            });

    private static async Task<TableFingerprint> FingerprintAsync(DbConnection connection, string table, IReadOnlyList<string> keys)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", keys.Select(k => $"\"{k}\""))}";
        await using var reader = await command.ExecuteReaderAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var rows = 0;
        while (await reader.ReadAsync())
        {
            rows++;
            var line = new StringBuilder();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                line.Append(reader.GetName(i)).Append('=').Append(Text(reader.IsDBNull(i) ? null : reader.GetValue(i))).Append('\u001f');
            }
            hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\u001e').ToString()));
        }
        return new TableFingerprint(table, rows, Convert.ToHexString(hash.GetHashAndReset()));
    }

    private static string Text(object? value) => value switch
    {
        null => "\u0000NULL",
        byte[] bytes => Convert.ToBase64String(bytes),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
