using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// New rows written straight to their table, hundreds to a statement, on the context's connection and inside its
/// transaction (issue 17: tracking 100,000 new customers and auditing each of their fields was what made an import
/// write ~1,100 rows/s). The statement is built from the EF model — every mapped column, each value through its
/// property's own type mapping and converter — so a row reads back exactly as if EF had saved it. No interceptor runs:
/// the caller stamps and audits what it writes, and nothing is tracked.
/// </summary>
public static class BulkInsert
{
    /// <summary>Rows a statement takes at most; fewer when the table is wide (the provider's parameter limit).</summary>
    public const int MaxRowsPerStatement = 500;

    private sealed record Column(string Name, IProperty Property, RelationalTypeMapping Mapping, IClrPropertyGetter Getter);

    private sealed record Table(string Name, IReadOnlyList<Column> Columns);

    private static readonly ConditionalWeakTable<IModel, ConcurrentDictionary<Type, Table>> Tables = new();

    public static async Task AddAsync<T>(CrmDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = Tables.GetOrCreateValue(db.Model).GetOrAdd(typeof(T), type => TableOf(db.Model, type, sql));
        var columns = table.Columns;
        // SQL Server takes 2,100 parameters a statement; SQLite (3.32+) 32,766 and PostgreSQL 65,535.
        var maxParameters = db.Database.ProviderName?.Contains("SqlServer", StringComparison.Ordinal) == true ? 2_000 : 30_000;
        var perStatement = Math.Clamp(maxParameters / columns.Count, 1, MaxRowsPerStatement);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            DbCommand? full = null;
            try
            {
                foreach (var chunk in rows.Chunk(perStatement))
                {
                    // Every full statement is the same text: one command, prepared once by providers that cache it (SQLite).
                    var command = chunk.Length == perStatement ? full ??= Command(connection, transaction, table, perStatement, sql) : Command(connection, transaction, table, chunk.Length, sql);
                    command.Parameters.Clear();
                    var n = 0;
                    foreach (var row in chunk)
                    {
                        foreach (var column in columns)
                        {
                            command.Parameters.Add(column.Mapping.CreateParameter(command, sql.GenerateParameterName("p" + n++), column.Getter.GetClrValue(row), column.Property.IsNullable));
                        }
                    }
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    if (command != full)
                    {
                        await command.DisposeAsync();
                    }
                }
            }
            finally
            {
                if (full is not null)
                {
                    await full.DisposeAsync();
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Table TableOf(IModel model, Type type, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity of the model.");
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => (Property: p, Name: p.GetColumnName(store)))
            .Where(p => p.Name is not null)
            .Select(p => p.Property.IsShadowProperty()
                ? throw new NotSupportedException($"{type.Name}.{p.Property.Name} is a shadow property: bulk insert reads values from the object.")
                : new Column(p.Name!, p.Property, (RelationalTypeMapping)p.Property.GetTypeMapping(), p.Property.GetGetter()))
            .ToList();
        return new Table(sql.DelimitIdentifier(store.Name, store.Schema), columns);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, Table table, int rows, ISqlGenerationHelper sql)
    {
        var text = new StringBuilder("INSERT INTO ").Append(table.Name).Append(" (")
            .AppendJoin(", ", table.Columns.Select(c => sql.DelimitIdentifier(c.Name))).Append(") VALUES ");
        var n = 0;
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder("p" + n++));
            }
            text.Append(')');
        }
        var command = connection.CreateCommand();
        command.CommandText = text.ToString();
        command.Transaction = transaction;
        return command;
    }
}
