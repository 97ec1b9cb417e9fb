using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StoredDataQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "QualityProblems",
                table: "Customers",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MobileInvalid",
                table: "Contacts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "CleaningItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    OpenedMonth = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    Problems = table.Column<int>(type: "integer", nullable: false),
                    WasStale = table.Column<bool>(type: "boolean", nullable: false),
                    DoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DoneByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CleaningItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CleaningItems_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DuplicateCandidates",
                columns: table => new
                {
                    FirstId = table.Column<Guid>(type: "uuid", nullable: false),
                    SecondId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reasons = table.Column<int>(type: "integer", nullable: false),
                    ReasonCount = table.Column<int>(type: "integer", nullable: false),
                    NameScore = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuplicateCandidates", x => new { x.FirstId, x.SecondId });
                });

            migrationBuilder.CreateTable(
                name: "DuplicateRechecks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DuplicateRechecks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QualityMonths",
                columns: table => new
                {
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    RefreshedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ChecklistOpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ChecklistOpened = table.Column<int>(type: "integer", nullable: false),
                    Customers = table.Column<int>(type: "integer", nullable: false),
                    Clean = table.Column<int>(type: "integer", nullable: false),
                    MissingIndustry = table.Column<int>(type: "integer", nullable: false),
                    MissingRegion = table.Column<int>(type: "integer", nullable: false),
                    NoKeyContactReach = table.Column<int>(type: "integer", nullable: false),
                    InvalidPhone = table.Column<int>(type: "integer", nullable: false),
                    Stale = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QualityMonths", x => x.Month);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Customers_QualityProblems_UpdatedAt",
                table: "Customers",
                columns: new[] { "QualityProblems", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CleaningItems_CustomerId_DoneAt",
                table: "CleaningItems",
                columns: new[] { "CustomerId", "DoneAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DuplicateCandidates_ReasonCount_NameScore",
                table: "DuplicateCandidates",
                columns: new[] { "ReasonCount", "NameScore" });

            migrationBuilder.CreateIndex(
                name: "IX_DuplicateCandidates_SecondId",
                table: "DuplicateCandidates",
                column: "SecondId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CleaningItems");

            migrationBuilder.DropTable(
                name: "DuplicateCandidates");

            migrationBuilder.DropTable(
                name: "DuplicateRechecks");

            migrationBuilder.DropTable(
                name: "QualityMonths");

            migrationBuilder.DropIndex(
                name: "IX_Customers_QualityProblems_UpdatedAt",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "QualityProblems",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "MobileInvalid",
                table: "Contacts");
        }
    }
}
