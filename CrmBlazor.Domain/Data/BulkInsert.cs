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
/// New rows written straight to their table on the context's connection and inside its transaction (issue 17: tracking
/// 100,000 new customers and auditing each of their fields was what made an import write ~1,100 rows/s): one prepared
/// single-row INSERT run for each row on SQLite, prepared multi-row INSERTs on SQL Server, binary COPY on PostgreSQL.
/// Columns and values come from the EF model — every mapped column but a whole-number key the database numbers, each
/// value through its property's own type mapping and converter — so a row reads back exactly as if EF had saved it.
/// No interceptor runs: the caller stamps and audits what it writes, and nothing is tracked.
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
        var perStatement = RowsPerStatement(db.Database.ProviderName, table.Columns.Count);

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (connection is Npgsql.NpgsqlConnection postgres)
            {
                await CopyAsync(postgres, table, rows, sql, cancellationToken);
                return;
            }
            var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            DbCommand? full = null;
            try
            {
                foreach (var chunk in rows.Chunk(perStatement))
                {
                    // Every full statement is the same text: one command, its parameters made once and given new values
                    // (providers that cache prepared statements, such as SQLite, prepare it once).
                    var command = chunk.Length == perStatement ? full ??= Command(connection, transaction, table, perStatement, sql) : Command(connection, transaction, table, chunk.Length, sql);
                    Bind(command, table, chunk, sql);
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

    /// <summary>
    /// Rows one INSERT carries. SQLite: one. A single-row statement, prepared once and run for each row inside the
    /// transaction, is what SQLite executes fastest: 21-row VALUES lists took 2.2× as long for the same 1.8 M search keys
    /// (docs/decisions/0024). SQL Server: as many as its 2,100-parameter limit allows. PostgreSQL takes COPY instead.
    /// </summary>
    private static int RowsPerStatement(string? provider, int columns) => provider switch
    {
        not null when provider.Contains("Sqlite", StringComparison.Ordinal) => 1,
        not null when provider.Contains("SqlServer", StringComparison.Ordinal) => Math.Clamp(2_000 / columns, 1, MaxRowsPerStatement),
        _ => Math.Clamp(16_000 / columns, 1, MaxRowsPerStatement),
    };

    private static void Bind<T>(DbCommand command, Table table, T[] chunk, ISqlGenerationHelper sql) where T : class
    {
        var columns = table.Columns;
        var reuse = command.Parameters.Count == chunk.Length * columns.Count;
        var n = 0;
        foreach (var row in chunk)
        {
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValue(row);
                if (reuse)
                {
                    // The parameter keeps the type its mapping gave it; only the value changes, converted as the mapping converts it.
                    command.Parameters[n++].Value = value is null ? DBNull.Value : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) ?? DBNull.Value : value;
                }
                else
                {
                    command.Parameters.Add(column.Mapping.CreateParameter(command, sql.GenerateParameterName("p" + n++), value, column.Property.IsNullable));
                }
            }
        }
    }

    /// <summary>PostgreSQL's own bulk path: binary COPY, each value in its column's wire type.</summary>
    private static async Task CopyAsync<T>(Npgsql.NpgsqlConnection connection, Table table, IReadOnlyList<T> rows, ISqlGenerationHelper sql, CancellationToken cancellationToken)
        where T : class
    {
        var types = table.Columns.Select(WireType).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => sql.DelimitIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < types.Length; i++)
            {
                var column = table.Columns[i];
                var value = column.Getter.GetClrValue(row);
                if (value is not null && column.Mapping.Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                if (value is DateTime { Kind: DateTimeKind.Unspecified } day && types[i] == NpgsqlTypes.NpgsqlDbType.TimestampTz)
                {
                    value = DateTime.SpecifyKind(day, DateTimeKind.Utc); // a date without a zone (a custom date field's day) is kept as that day in UTC
                }
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(value, types[i], cancellationToken);
                }
            }
        }
        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>The wire type COPY writes a column's values in (the provider's CLR type, and the store type for timestamps).</summary>
    private static NpgsqlTypes.NpgsqlDbType WireType(Column column)
    {
        var clr = Nullable.GetUnderlyingType(column.Mapping.Converter?.ProviderClrType ?? column.Mapping.ClrType) ?? column.Mapping.Converter?.ProviderClrType ?? column.Mapping.ClrType;
        return clr switch
        {
            _ when clr == typeof(string) => NpgsqlTypes.NpgsqlDbType.Text,
            _ when clr == typeof(Guid) => NpgsqlTypes.NpgsqlDbType.Uuid,
            _ when clr == typeof(DateTime) => column.Mapping.StoreType.StartsWith("timestamp with", StringComparison.Ordinal)
                ? NpgsqlTypes.NpgsqlDbType.TimestampTz : NpgsqlTypes.NpgsqlDbType.Timestamp,
            _ when clr == typeof(DateOnly) => NpgsqlTypes.NpgsqlDbType.Date,
            _ when clr == typeof(bool) => NpgsqlTypes.NpgsqlDbType.Boolean,
            _ when clr == typeof(short) => NpgsqlTypes.NpgsqlDbType.Smallint,
            _ when clr == typeof(int) => NpgsqlTypes.NpgsqlDbType.Integer,
            _ when clr == typeof(long) => NpgsqlTypes.NpgsqlDbType.Bigint,
            _ when clr == typeof(decimal) => NpgsqlTypes.NpgsqlDbType.Numeric,
            _ when clr == typeof(double) => NpgsqlTypes.NpgsqlDbType.Double,
            _ when clr == typeof(byte[]) => NpgsqlTypes.NpgsqlDbType.Bytea,
            _ => throw new NotSupportedException($"No COPY wire type for {clr.Name} ({column.Name})."),
        };
    }

    private static Table TableOf(IModel model, Type type, ISqlGenerationHelper sql)
    {
        var entity = model.FindEntityType(type) ?? throw new InvalidOperationException($"{type.Name} is not an entity of the model.");
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Select(p => (Property: p, Name: p.GetColumnName(store)))
            .Where(p => p.Name is not null && !IsIdentity(p.Property))
            .Select(p => p.Property.IsShadowProperty()
                ? throw new NotSupportedException($"{type.Name}.{p.Property.Name} is a shadow property: bulk insert reads values from the object.")
                : new Column(p.Name!, p.Property, (RelationalTypeMapping)p.Property.GetTypeMapping(), p.Property.GetGetter()))
            .ToList();
        return new Table(sql.DelimitIdentifier(store.Name, store.Schema), columns);
    }

    /// <summary>A whole-number key the database numbers (an identity or SQLite's rowid): left out, so each row gets the next number.</summary>
    private static bool IsIdentity(IProperty property) =>
        property.IsPrimaryKey() && property.ValueGenerated == ValueGenerated.OnAdd
        && (Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType) is var type && (type == typeof(int) || type == typeof(long) || type == typeof(short));

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
