using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PipelineFunnelIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OpportunityStageChanges_OpportunityId_At",
                table: "OpportunityStageChanges");

            migrationBuilder.CreateIndex(
                name: "IX_OpportunityStageChanges_OpportunityId_At_Id_ToStage",
                table: "OpportunityStageChanges",
                columns: new[] { "OpportunityId", "At", "Id", "ToStage" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_ClosedAt_OwnerId_Stage",
                table: "Opportunities",
                columns: new[] { "ClosedAt", "OwnerId", "Stage" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CreatedAt_Id_OwnerId_Stage_AmountFen",
                table: "Opportunities",
                columns: new[] { "CreatedAt", "Id", "OwnerId", "Stage", "AmountFen" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OpportunityStageChanges_OpportunityId_At_Id_ToStage",
                table: "OpportunityStageChanges");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_ClosedAt_OwnerId_Stage",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_CreatedAt_Id_OwnerId_Stage_AmountFen",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_OpportunityStageChanges_OpportunityId_At",
                table: "OpportunityStageChanges",
                columns: new[] { "OpportunityId", "At" });
        }
    }
}
