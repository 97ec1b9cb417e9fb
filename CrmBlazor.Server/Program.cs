using CrmBlazor.Server.Features.Api;
using CrmBlazor.Server.Features.Demands;
using CrmBlazor.Server.Features.Feedback;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Server.Features.Pipeline;
using CrmBlazor.Server.Features.Reports;
using CrmBlazor.Server.Features.Tickets;
using CrmBlazor.Server.Features.Tiering;
using CrmBlazor.Server.Hosting;

if (RestoreCommand.IsRequested(args))
{
    return RestoreCommand.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddCrmObservability();
builder.AddCrmData();
builder.AddCrmSignIn();
builder.AddCrmApi();
builder.AddCrmWebhooks();
builder.AddCrmSecurity();
builder.AddCrmLiveEvents();
builder.AddCrmLocalization();
builder.AddCrmUi();

var app = builder.Build();

await app.InitializeCrmDatabaseAsync();

app.UseCrmSecurityHeaders();
app.UseCrmObservability();
app.UseCrmLocalization();
app.UseCrmStatusPages();
app.UseCrmApi();
app.UseCrmSignIn();
app.UseCrmRateLimits();
app.MapCrmHealthChecks();
app.MapCrmSignIn();
app.MapCrmLiveEvents();
app.MapDemandEvidence();
app.MapTicketAttachments();
app.MapFeedbackScreenshots();
app.MapTierDashboardExport();
app.MapReportExport();
app.MapQuoteExport();
app.MapFunnelExport();
app.MapImportTemplate();
app.MapImportErrors();
app.MapCustomerExport();
app.MapCrmApi();
app.MapCrmUi();

app.Run();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
