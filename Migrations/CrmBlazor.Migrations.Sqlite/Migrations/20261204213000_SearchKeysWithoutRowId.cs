using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// SQLite only, no model change (issue 17's write speed): the search-key table becomes a WITHOUT ROWID table, so its
    /// primary key is the table itself and each key is written to two B-trees instead of three (a rowid table, its key's
    /// index, the token index). An import writes about nineteen keys a customer; measured in docs/decisions/0024.
    /// EF cannot say WITHOUT ROWID in the model: a later migration that rebuilds this table must keep the clause by hand.
    /// </summary>
    [DbContext(typeof(CrmDbContext))]
    [Migration("20261204213000_SearchKeysWithoutRowId")]
    public partial class SearchKeysWithoutRowId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, " WITHOUT ROWID");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, "");

        private static void Rebuild(MigrationBuilder migrationBuilder, string options)
        {
            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_CustomerSearchTokens" (
                    "CustomerId" TEXT NOT NULL,
                    "Kind" TEXT NOT NULL,
                    "Token" TEXT NOT NULL,
                    CONSTRAINT "PK_CustomerSearchTokens" PRIMARY KEY ("CustomerId", "Kind", "Token"),
                    CONSTRAINT "FK_CustomerSearchTokens_Customers_CustomerId" FOREIGN KEY ("CustomerId") REFERENCES "Customers" ("Id") ON DELETE CASCADE
                ){options};
                """);
            migrationBuilder.Sql("""INSERT INTO "ef_temp_CustomerSearchTokens" ("CustomerId", "Kind", "Token") SELECT "CustomerId", "Kind", "Token" FROM "CustomerSearchTokens";""");
            migrationBuilder.Sql("""DROP TABLE "CustomerSearchTokens";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_CustomerSearchTokens" RENAME TO "CustomerSearchTokens";""");
            migrationBuilder.Sql("""CREATE INDEX "IX_CustomerSearchTokens_Kind_Token_CustomerId" ON "CustomerSearchTokens" ("Kind", "Token", "CustomerId");""");
        }
    }
}
