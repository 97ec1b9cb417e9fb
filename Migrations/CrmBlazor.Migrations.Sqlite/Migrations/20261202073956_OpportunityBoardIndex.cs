using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OpportunityBoardIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_CustomerId_Stage_ClosedAt_AmountFen",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Board",
                table: "Opportunities",
                columns: new[] { "CustomerId", "ClosedAt", "Stage", "AmountFen", "ExpectedCloseOn", "Number", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Board",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CustomerId_Stage_ClosedAt_AmountFen",
                table: "Opportunities",
                columns: new[] { "CustomerId", "Stage", "ClosedAt", "AmountFen" });
        }
    }
}
