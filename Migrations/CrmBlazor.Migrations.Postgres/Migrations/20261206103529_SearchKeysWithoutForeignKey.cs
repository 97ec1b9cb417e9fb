using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <summary>
    /// The search keys lose their foreign key to Customers (docs/decisions/0030): an import writes about nineteen keys a
    /// customer, and PostgreSQL's per-row check of the key cost a quarter of the write. The services that delete customers
    /// delete their keys in the same transaction. Down first drops keys whose customer is gone, then adds the key back.
    /// </summary>
    public partial class SearchKeysWithoutForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CustomerSearchTokens_Customers_CustomerId",
                table: "CustomerSearchTokens");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DELETE FROM "CustomerSearchTokens" WHERE NOT EXISTS (SELECT 1 FROM "Customers" WHERE "Customers"."Id" = "CustomerSearchTokens"."CustomerId");""");
            migrationBuilder.AddForeignKey(
                name: "FK_CustomerSearchTokens_Customers_CustomerId",
                table: "CustomerSearchTokens",
                column: "CustomerId",
                principalTable: "Customers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
