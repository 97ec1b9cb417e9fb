using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class InteractionDemandLink : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "DemandId",
                table: "Interactions",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Interactions_DemandId",
                table: "Interactions",
                column: "DemandId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Interactions_DemandId",
                table: "Interactions");

            migrationBuilder.DropColumn(
                name: "DemandId",
                table: "Interactions");
        }
    }
}
