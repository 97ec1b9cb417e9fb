using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CustomerListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_Number",
                table: "Customers",
                columns: new[] { "OwnerId", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_Status_Industry_Name",
                table: "Customers",
                columns: new[] { "Status", "Industry", "Name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_Number",
                table: "Customers");

            migrationBuilder.DropIndex(
                name: "IX_Customers_Status_Industry_Name",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId",
                table: "Customers",
                column: "OwnerId");
        }
    }
}
