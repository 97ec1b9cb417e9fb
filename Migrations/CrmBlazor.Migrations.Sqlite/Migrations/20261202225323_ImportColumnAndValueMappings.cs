using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ImportColumnAndValueMappings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ColumnMap",
                table: "ImportJobs",
                type: "TEXT",
                maxLength: 16000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "HeaderRow",
                table: "ImportJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "ValueMap",
                table: "ImportJobs",
                type: "TEXT",
                maxLength: 64000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImportColumnMappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Columns = table.Column<string>(type: "TEXT", maxLength: 16000, nullable: false),
                    Values = table.Column<string>(type: "TEXT", maxLength: 64000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportColumnMappings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportColumnMappings_Kind_Signature",
                table: "ImportColumnMappings",
                columns: new[] { "Kind", "Signature" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportColumnMappings");

            migrationBuilder.DropColumn(
                name: "ColumnMap",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "HeaderRow",
                table: "ImportJobs");

            migrationBuilder.DropColumn(
                name: "ValueMap",
                table: "ImportJobs");
        }
    }
}
