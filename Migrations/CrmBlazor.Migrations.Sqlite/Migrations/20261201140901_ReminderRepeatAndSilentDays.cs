using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReminderRepeatAndSilentDays : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The existing rules row takes the documented defaults (repeat weekly, silent after 90 days), not 0.
            migrationBuilder.AddColumn<int>(
                name: "RepeatEveryDays",
                table: "ReminderRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 7);

            migrationBuilder.AddColumn<int>(
                name: "SilentAfterDays",
                table: "ReminderRules",
                type: "INTEGER",
                nullable: false,
                defaultValue: 90);

            migrationBuilder.AddColumn<DateTime>(
                name: "NotContactedRemindedAt",
                table: "Customers",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RepeatEveryDays",
                table: "ReminderRules");

            migrationBuilder.DropColumn(
                name: "SilentAfterDays",
                table: "ReminderRules");

            migrationBuilder.DropColumn(
                name: "NotContactedRemindedAt",
                table: "Customers");
        }
    }
}
