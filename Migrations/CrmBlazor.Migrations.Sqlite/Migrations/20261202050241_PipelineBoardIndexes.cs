using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PipelineBoardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_CustomerId_Stage",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_NumberOrder",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CustomerId_Stage_ClosedAt_AmountFen",
                table: "Opportunities",
                columns: new[] { "CustomerId", "Stage", "ClosedAt", "AmountFen" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_NumberOrder_Id",
                table: "Customers",
                columns: new[] { "OwnerId", "NumberOrder", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_CustomerId_Stage_ClosedAt_AmountFen",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Customers_OwnerId_NumberOrder_Id",
                table: "Customers");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CustomerId_Stage",
                table: "Opportunities",
                columns: new[] { "CustomerId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_OwnerId_NumberOrder",
                table: "Customers",
                columns: new[] { "OwnerId", "NumberOrder" });
        }
    }
}
