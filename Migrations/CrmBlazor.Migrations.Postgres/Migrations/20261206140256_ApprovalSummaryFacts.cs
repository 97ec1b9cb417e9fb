using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalSummaryFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A request's summary is its kind's facts now (ApprovalSummary), worded by the Server in the reader's language;
            // the sentences stored before stay, as LegacySummary, for the requests that have them.
            migrationBuilder.RenameColumn(
                name: "Summary",
                table: "ApprovalRequests",
                newName: "LegacySummary");

            migrationBuilder.AlterColumn<string>(
                name: "LegacySummary",
                table: "ApprovalRequests",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500);

            migrationBuilder.AddColumn<string>(
                name: "SummaryFacts",
                table: "ApprovalRequests",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A request made since has no sentence: the build before shows its kind instead.
            migrationBuilder.Sql("UPDATE \"ApprovalRequests\" SET \"LegacySummary\" = \"Kind\" WHERE \"LegacySummary\" IS NULL;");

            migrationBuilder.DropColumn(
                name: "SummaryFacts",
                table: "ApprovalRequests");

            migrationBuilder.AlterColumn<string>(
                name: "LegacySummary",
                table: "ApprovalRequests",
                type: "character varying(500)",
                maxLength: 500,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.RenameColumn(
                name: "LegacySummary",
                table: "ApprovalRequests",
                newName: "Summary");
        }
    }
}
