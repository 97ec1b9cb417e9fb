using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// The search keys lose their foreign key to Customers (docs/decisions/0030): an import writes about nineteen keys a
    /// customer, and PostgreSQL's per-row check of the key cost a quarter of the write. The services that delete customers
    /// delete their keys in the same transaction. Down first drops keys whose customer is gone, then adds the key back.
    /// SQLite cannot drop a foreign key: the table is rebuilt by hand, as EF's own rebuild would lose WITHOUT ROWID
    /// (migration SearchKeysWithoutRowId).
    /// </summary>
    public partial class SearchKeysWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, "");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "CustomerSearchTokens" WHERE NOT EXISTS (SELECT 1 FROM "Customers" WHERE "Customers"."Id" = "CustomerSearchTokens"."CustomerId");""");
            Rebuild(migrationBuilder, """, CONSTRAINT "FK_CustomerSearchTokens_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE CASCADE""");
        }

        private static void Rebuild(MigrationBuilder migrationBuilder, string foreignKey)
        {
            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_CustomerSearchTokens" (
                    "CustomerId" TEXT NOT NULL,
                    "Kind" TEXT NOT NULL,
                    "Token" TEXT NOT NULL,
                    CONSTRAINT "PK_CustomerSearchTokens" PRIMARY KEY ("CustomerId", "Kind", "Token"){foreignKey}
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""INSERT INTO "ef_temp_CustomerSearchTokens" ("CustomerId", "Kind", "Token") SELECT "CustomerId", "Kind", "Token" FROM "CustomerSearchTokens";""");
            migrationBuilder.Sql("""DROP TABLE "CustomerSearchTokens";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_CustomerSearchTokens" RENAME TO "CustomerSearchTokens";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_CustomerSearchTokens_Kind_Token_CustomerId" ON "CustomerSearchTokens" ("Kind", "Token", "CustomerId");""");
        }
    }
}
