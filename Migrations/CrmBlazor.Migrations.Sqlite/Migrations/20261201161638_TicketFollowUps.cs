using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TicketFollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "InteractionId",
                table: "Todos",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AddColumn<Guid>(
                name: "TicketId",
                table: "Todos",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TicketId",
                table: "Interactions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TicketFollowUps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TicketId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Round = table.Column<int>(type: "INTEGER", nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ById = table.Column<Guid>(type: "TEXT", nullable: true),
                    ByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AgentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GroupId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reopened = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TicketFollowUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TicketFollowUps_Tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "Tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Todos_TicketId",
                table: "Todos",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_Interactions_TicketId",
                table: "Interactions",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_TicketFollowUps_At",
                table: "TicketFollowUps",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_TicketFollowUps_TicketId_Round",
                table: "TicketFollowUps",
                columns: new[] { "TicketId", "Round" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Interactions_Tickets_TicketId",
                table: "Interactions",
                column: "TicketId",
                principalTable: "Tickets",
                principalColumn: "Id");

            migrationBuilder.AddForeignKey(
                name: "FK_Todos_Tickets_TicketId",
                table: "Todos",
                column: "TicketId",
                principalTable: "Tickets",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Interactions_Tickets_TicketId",
                table: "Interactions");

            migrationBuilder.DropForeignKey(
                name: "FK_Todos_Tickets_TicketId",
                table: "Todos");

            migrationBuilder.DropTable(
                name: "TicketFollowUps");

            migrationBuilder.DropIndex(
                name: "IX_Todos_TicketId",
                table: "Todos");

            migrationBuilder.DropIndex(
                name: "IX_Interactions_TicketId",
                table: "Interactions");

            migrationBuilder.DropColumn(
                name: "TicketId",
                table: "Todos");

            migrationBuilder.DropColumn(
                name: "TicketId",
                table: "Interactions");

            migrationBuilder.AlterColumn<Guid>(
                name: "InteractionId",
                table: "Todos",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
