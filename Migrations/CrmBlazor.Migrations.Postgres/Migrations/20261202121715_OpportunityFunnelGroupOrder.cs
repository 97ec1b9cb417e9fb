using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OpportunityFunnelGroupOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_ClosedAt_OwnerId_Stage",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Funnel",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Closings",
                table: "Opportunities",
                columns: new[] { "OwnerId", "Stage", "ClosedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Funnel",
                table: "Opportunities",
                columns: new[] { "OwnerId", "Stage", "FurthestStage", "CreatedAt", "AmountFen", "InitialContactDays", "NeedsAnalysisDays", "ProposalDays", "NegotiationDays", "ContractDays", "DeliveryDays", "DaysFromLeadToWon" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Closings",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Funnel",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_ClosedAt_OwnerId_Stage",
                table: "Opportunities",
                columns: new[] { "ClosedAt", "OwnerId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Funnel",
                table: "Opportunities",
                columns: new[] { "CreatedAt", "OwnerId", "Stage", "FurthestStage", "AmountFen", "InitialContactDays", "NeedsAnalysisDays", "ProposalDays", "NegotiationDays", "ContractDays", "DeliveryDays", "DaysFromLeadToWon" });
        }
    }
}
