using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.SqlServer.Migrations
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
                type: "uniqueidentifier",
                nullable: true);

            // Every deal takes its customer's owner now; CustomerOwnerFollower keeps it from here on.
            migrationBuilder.Sql("""
                UPDATE o SET o.[CustomerOwnerId] = c.[OwnerId] FROM [Opportunities] AS o INNER JOIN [Customers] AS c ON c.[Id] = o.[CustomerId];
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
