using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CustomerExternalCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalCode",
                table: "Customers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Customers_ExternalCode",
                table: "Customers",
                column: "ExternalCode",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_ExternalCode",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "ExternalCode",
                table: "Customers");
        }
    }
}
