using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class TicketIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_GroupId_Status_ResolutionDueAt",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_GroupId_Status_PausedSince_FirstResponseAt_Response~",
                table: "Tickets",
                columns: new[] { "GroupId", "Status", "PausedSince", "FirstResponseAt", "ResponseDueAt", "ResolutionDueAt", "Number", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_GroupId_Status_ResolvedAt",
                table: "Tickets",
                columns: new[] { "GroupId", "Status", "ResolvedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_GroupId_Status_PausedSince_FirstResponseAt_Response~",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_GroupId_Status_ResolvedAt",
                table: "Tickets");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_GroupId_Status_ResolutionDueAt",
                table: "Tickets",
                columns: new[] { "GroupId", "Status", "ResolutionDueAt" });
        }
    }
}
