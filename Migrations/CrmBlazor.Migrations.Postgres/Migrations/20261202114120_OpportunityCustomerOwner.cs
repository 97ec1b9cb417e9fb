using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OpportunityCustomerOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Board",
                table: "Opportunities");

            migrationBuilder.AddColumn<Guid>(
                name: "CustomerOwnerId",
                table: "Opportunities",
                type: "uuid",
                nullable: true);

            // Every deal takes its customer's owner now; CustomerOwnerFollower keeps it from here on.
            migrationBuilder.Sql("""
                UPDATE "Opportunities" AS o SET "CustomerOwnerId" = c."OwnerId" FROM "Customers" AS c WHERE c."Id" = o."CustomerId";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Board",
                table: "Opportunities",
                columns: new[] { "CustomerOwnerId", "ClosedAt", "Stage", "AmountFen", "ExpectedCloseOn", "Number", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_CustomerId",
                table: "Opportunities",
                column: "CustomerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Board",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_CustomerId",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "CustomerOwnerId",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Board",
                table: "Opportunities",
                columns: new[] { "CustomerId", "ClosedAt", "Stage", "AmountFen", "ExpectedCloseOn", "Number", "Id" });
        }
    }
}
