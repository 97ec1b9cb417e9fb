using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.SqlServer.Migrations
{
    /// <summary>
    /// Websites stored before the http(s)-only rule: any value that does not start with http:// or https://
    /// (javascript:, data:, leading blanks…) is cleared, and the row's Version moves on so an open form
    /// notices. Down cannot bring the values back and leaves them cleared.
    /// </summary>
    public partial class NeutraliseWebsites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE [Customers] SET [Website] = NULL, [Version] = [Version] + 1
                WHERE [Website] IS NOT NULL AND LOWER([Website]) NOT LIKE 'http://%' AND LOWER([Website]) NOT LIKE 'https://%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
