using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.SqlServer.Migrations
{
    /// <summary>
    /// The audit log is append-only at the database too: UPDATE and DELETE on "AuditEntries" are refused by a
    /// trigger, whoever connects (the app's interceptor refuses them first; this catches raw SQL and other tools).
    /// </summary>
    public partial class AuditAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER [AuditEntries_AppendOnly] ON [AuditEntries]
                INSTEAD OF UPDATE, DELETE
                AS
                BEGIN
                    THROW 50001, 'audit entries are append-only', 1;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER [AuditEntries_AppendOnly];
                """);
        }
    }
}
