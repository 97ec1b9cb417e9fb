using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmBlazor.Migrations.SqlServer.Migrations
{
    /// <summary>
    /// Notifications name their subject ("Customer:{id}", "Approvals"…) instead of a page URL, which the Server now builds
    /// (the Domain builds no page URLs). Up turns the links stored before into subjects (a link this build never wrote
    /// becomes none); Down turns the subjects back into the links.
    /// </summary>
    public partial class NotificationSubjects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Link",
                table: "Notifications",
                newName: "Subject");
            // EXEC: in an idempotent script the batch compiles even where the column has another name already.
            migrationBuilder.Sql("""
                EXEC(N'UPDATE [Notifications] SET [Subject] = CASE
                    WHEN [Subject] LIKE ''/customers/import/contacts?job=%'' THEN REPLACE([Subject], ''/customers/import/contacts?job='', ''ContactImport:'')
                    WHEN [Subject] LIKE ''/customers/import?job=%'' THEN REPLACE([Subject], ''/customers/import?job='', ''CustomerImport:'')
                    WHEN [Subject] LIKE ''/leads/import?job=%'' THEN REPLACE([Subject], ''/leads/import?job='', ''LeadImport:'')
                    WHEN [Subject] LIKE ''/customers/%'' THEN REPLACE([Subject], ''/customers/'', ''Customer:'')
                    WHEN [Subject] LIKE ''/demands/%'' THEN REPLACE([Subject], ''/demands/'', ''Demand:'')
                    WHEN [Subject] LIKE ''/tickets/%'' THEN REPLACE([Subject], ''/tickets/'', ''Ticket:'')
                    WHEN [Subject] LIKE ''/pipeline/%'' THEN REPLACE([Subject], ''/pipeline/'', ''Opportunity:'')
                    WHEN [Subject] = ''/customers'' THEN ''Customers''
                    WHEN [Subject] = ''/leads'' THEN ''Leads''
                    WHEN [Subject] = ''/approvals'' THEN ''Approvals''
                    WHEN [Subject] = ''/feedback/mine'' THEN ''MyFeedback''
                    ELSE NULL END
                WHERE [Subject] IS NOT NULL;');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                EXEC(N'UPDATE [Notifications] SET [Subject] = CASE
                    WHEN [Subject] LIKE ''ContactImport:%'' THEN REPLACE([Subject], ''ContactImport:'', ''/customers/import/contacts?job='')
                    WHEN [Subject] LIKE ''CustomerImport:%'' THEN REPLACE([Subject], ''CustomerImport:'', ''/customers/import?job='')
                    WHEN [Subject] LIKE ''LeadImport:%'' THEN REPLACE([Subject], ''LeadImport:'', ''/leads/import?job='')
                    WHEN [Subject] LIKE ''Customer:%'' THEN REPLACE([Subject], ''Customer:'', ''/customers/'')
                    WHEN [Subject] LIKE ''Demand:%'' THEN REPLACE([Subject], ''Demand:'', ''/demands/'')
                    WHEN [Subject] LIKE ''Ticket:%'' THEN REPLACE([Subject], ''Ticket:'', ''/tickets/'')
                    WHEN [Subject] LIKE ''Opportunity:%'' THEN REPLACE([Subject], ''Opportunity:'', ''/pipeline/'')
                    WHEN [Subject] = ''Customers'' THEN ''/customers''
                    WHEN [Subject] = ''Leads'' THEN ''/leads''
                    WHEN [Subject] = ''Approvals'' THEN ''/approvals''
                    WHEN [Subject] = ''MyFeedback'' THEN ''/feedback/mine''
                    ELSE NULL END
                WHERE [Subject] IS NOT NULL;');
                """);
            migrationBuilder.RenameColumn(
                name: "Subject",
                table: "Notifications",
                newName: "Link");
        }
    }
}
