using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TicketSlaAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionBreachedAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionWarnAt",
                table: "Tickets",
                type: "datetime2",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolutionWarnedAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseBreachedAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseWarnAt",
                table: "Tickets",
                type: "datetime2",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<DateTime>(
                name: "ResponseWarnedAt",
                table: "Tickets",
                type: "datetime2",
                nullable: true);

            // Tickets logged before the SLA watch are warned no earlier than their deadline (hand-written).
            migrationBuilder.Sql("UPDATE [Tickets] SET [ResponseWarnAt] = [ResponseDueAt], [ResolutionWarnAt] = [ResolutionDueAt]");

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_FirstResponseAt_ResponseBreachedAt_ResponseDueAt",
                table: "Tickets",
                columns: new[] { "FirstResponseAt", "ResponseBreachedAt", "ResponseDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_FirstResponseAt_ResponseWarnedAt_ResponseWarnAt",
                table: "Tickets",
                columns: new[] { "FirstResponseAt", "ResponseWarnedAt", "ResponseWarnAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ResolvedAt_PausedSince_ResolutionBreachedAt_ResolutionDueAt",
                table: "Tickets",
                columns: new[] { "ResolvedAt", "PausedSince", "ResolutionBreachedAt", "ResolutionDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tickets_ResolvedAt_PausedSince_ResolutionWarnedAt_ResolutionWarnAt",
                table: "Tickets",
                columns: new[] { "ResolvedAt", "PausedSince", "ResolutionWarnedAt", "ResolutionWarnAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tickets_FirstResponseAt_ResponseBreachedAt_ResponseDueAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_FirstResponseAt_ResponseWarnedAt_ResponseWarnAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_ResolvedAt_PausedSince_ResolutionBreachedAt_ResolutionDueAt",
                table: "Tickets");

            migrationBuilder.DropIndex(
                name: "IX_Tickets_ResolvedAt_PausedSince_ResolutionWarnedAt_ResolutionWarnAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResolutionBreachedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResolutionWarnAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResolutionWarnedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResponseBreachedAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResponseWarnAt",
                table: "Tickets");

            migrationBuilder.DropColumn(
                name: "ResponseWarnedAt",
                table: "Tickets");
        }
    }
}
