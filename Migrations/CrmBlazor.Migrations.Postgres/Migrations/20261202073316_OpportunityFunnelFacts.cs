using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OpportunityFunnelFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_CreatedAt_Id_OwnerId_Stage_AmountFen",
                table: "Opportunities");

            migrationBuilder.AddColumn<double>(
                name: "ContractDays",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DaysFromLeadToWon",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "DeliveryDays",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FurthestStage",
                table: "Opportunities",
                type: "character varying(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<double>(
                name: "InitialContactDays",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeadCreatedAt",
                table: "Opportunities",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "NeedsAnalysisDays",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "NegotiationDays",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ProposalDays",
                table: "Opportunities",
                type: "double precision",
                nullable: true);

            // What Opportunity.Enter keeps from now on, computed once from the stage history for the deals already there:
            // the furthest stage (Lost never), the days in each open stage left (all stays together), the lead's creation
            // and the days from it to a win.
            migrationBuilder.Sql("""
                UPDATE "Opportunities" SET "FurthestStage" = CASE WHEN "Stage" = 'Lost' THEN 'InitialContact' ELSE "Stage" END;
                """);
            // From the lead it was converted from (one lead becomes one opportunity). A join rather than a subquery per deal:
            // SQLite answered MIN("CreatedAt") per deal by walking every lead in creation order.
            migrationBuilder.Sql("""
                UPDATE "Opportunities" AS o SET "LeadCreatedAt" = l."CreatedAt"
                FROM "Leads" AS l WHERE l."ConvertedOpportunityId" = o."Id";
                """);
            migrationBuilder.Sql("""
            WITH "Spans" AS (
                SELECT c."OpportunityId", c."ToStage" AS "Stage", CASE c."ToStage" WHEN 'InitialContact' THEN 0 WHEN 'NeedsAnalysis' THEN 1 WHEN 'Proposal' THEN 2 WHEN 'Negotiation' THEN 3 WHEN 'Contract' THEN 4 WHEN 'Delivery' THEN 5 WHEN 'Won' THEN 6 END AS "Rank",
                       EXTRACT(EPOCH FROM (LEAD(c."At") OVER (PARTITION BY c."OpportunityId" ORDER BY c."At", c."Id") - c."At")) / 86400.0 AS "Days"
                FROM "OpportunityStageChanges" AS c),
            "Stays" AS (
                SELECT "OpportunityId", MAX("Rank") AS "Rank",
                       SUM(CASE WHEN "Stage" = 'InitialContact' THEN "Days" END) AS "InitialContact",
                       SUM(CASE WHEN "Stage" = 'NeedsAnalysis' THEN "Days" END) AS "NeedsAnalysis",
                       SUM(CASE WHEN "Stage" = 'Proposal' THEN "Days" END) AS "Proposal",
                       SUM(CASE WHEN "Stage" = 'Negotiation' THEN "Days" END) AS "Negotiation",
                       SUM(CASE WHEN "Stage" = 'Contract' THEN "Days" END) AS "Contract",
                       SUM(CASE WHEN "Stage" = 'Delivery' THEN "Days" END) AS "Delivery"
                FROM "Spans" GROUP BY "OpportunityId")
            UPDATE "Opportunities" AS o SET "FurthestStage" = COALESCE(CASE s."Rank" WHEN 0 THEN 'InitialContact' WHEN 1 THEN 'NeedsAnalysis' WHEN 2 THEN 'Proposal' WHEN 3 THEN 'Negotiation' WHEN 4 THEN 'Contract' WHEN 5 THEN 'Delivery' WHEN 6 THEN 'Won' END, o."FurthestStage"), "InitialContactDays" = s."InitialContact", "NeedsAnalysisDays" = s."NeedsAnalysis", "ProposalDays" = s."Proposal", "NegotiationDays" = s."Negotiation", "ContractDays" = s."Contract", "DeliveryDays" = s."Delivery"
            FROM "Stays" AS s WHERE s."OpportunityId" = o."Id";
            """);
            migrationBuilder.Sql("""
            UPDATE "Opportunities" SET "DaysFromLeadToWon" = EXTRACT(EPOCH FROM ("ClosedAt" - "LeadCreatedAt")) / 86400.0
            WHERE "Stage" = 'Won' AND "ClosedAt" IS NOT NULL AND "LeadCreatedAt" IS NOT NULL;
            """);

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Funnel",
                table: "Opportunities",
                columns: new[] { "CreatedAt", "OwnerId", "Stage", "FurthestStage", "AmountFen", "InitialContactDays", "NeedsAnalysisDays", "ProposalDays", "NegotiationDays", "ContractDays", "DeliveryDays", "DaysFromLeadToWon" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Funnel",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "ContractDays",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "DaysFromLeadToWon",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "DeliveryDays",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "FurthestStage",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "InitialContactDays",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "LeadCreatedAt",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "NeedsAnalysisDays",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "NegotiationDays",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "ProposalDays",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CreatedAt_Id_OwnerId_Stage_AmountFen",
                table: "Opportunities",
                columns: new[] { "CreatedAt", "Id", "OwnerId", "Stage", "AmountFen" });
        }
    }
}
