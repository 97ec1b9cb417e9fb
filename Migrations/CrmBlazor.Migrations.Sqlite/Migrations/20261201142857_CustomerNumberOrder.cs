using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CustomerNumberOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_Number",
                table: "Customers");

            migrationBuilder.AddColumn<long>(
                name: "NumberOrder",
                table: "Customers",
                type: "INTEGER",
                nullable: false,
                defaultValue: long.MaxValue);

            // Existing numbers get the key CustomerNumbers.OrderOf gives: year × 10^12 + serial (up to 12 digits);
            // any other number keeps the default and sorts last (docs/decisions/0007).
            migrationBuilder.Sql("""
                UPDATE "Customers" SET "NumberOrder" = CAST(substr("Number", 4, 4) AS INTEGER) * 1000000000000 + CAST(substr("Number", 8) AS INTEGER)
                WHERE "Number" GLOB 'CRM[0-9][0-9][0-9][0-9][0-9]*' AND substr("Number", 8) NOT GLOB '*[^0-9]*' AND length("Number") <= 19;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_NumberOrder",
                table: "Customers",
                column: "NumberOrder");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_NumberOrder",
                table: "Customers",
                columns: new[] { "OwnerId", "NumberOrder" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_NumberOrder",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_NumberOrder",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "NumberOrder",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_Number",
                table: "Customers",
                columns: new[] { "OwnerId", "Number" });
        }
    }
}
