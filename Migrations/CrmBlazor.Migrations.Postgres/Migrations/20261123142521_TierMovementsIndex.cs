using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TierMovementsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TierChanges_At",
                table: "TierChanges");

            migrationBuilder.CreateIndex(
                name: "IX_TierChanges_At_FromTier_ToTier",
                table: "TierChanges",
                columns: new[] { "At", "FromTier", "ToTier" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TierChanges_At_FromTier_ToTier",
                table: "TierChanges");

            migrationBuilder.CreateIndex(
                name: "IX_TierChanges_At",
                table: "TierChanges",
                column: "At");
        }
    }
}
