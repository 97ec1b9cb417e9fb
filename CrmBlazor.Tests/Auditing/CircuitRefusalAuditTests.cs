using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Auditing;

/// <summary>
/// Issue #12 §3: a refusal inside a Blazor circuit is a Domain exception, never an HTTP 403, so the Domain's one
/// authorization point has it audited like the 403s are.
/// </summary>
public sealed class CircuitRefusalAuditTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_action_refused_inside_a_circuit_leaves_an_audit_row_naming_the_user_and_the_right()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        await using var scope = app.Services.CreateAsyncScope();
        AppUser rep;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            rep = CrmAppFactory.ActAs(scope, db, "demo-salesrep");
        }
        await OpenCircuitAsync(scope);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            scope.ServiceProvider.GetRequiredService<PermissionAdmin>().SetAsync(Role.Analyst, Module.Reports, Operation.Export, false));

        Assert.Equal("Error.OperationDenied", refused.MessageKey);
        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var entry = await check.AuditEntries.SingleAsync(a => a.Action == AuditAction.AccessDenied);
        Assert.Equal("Permission", entry.EntityType);
        Assert.Equal("Administration/Configure", entry.EntityId);
        Assert.Equal(rep.Id, entry.UserId);
        Assert.Equal(rep.DisplayName, entry.UserName);
    }

    [Fact]
    public async Task A_refusal_during_an_HTTP_request_is_left_to_the_403_auditing_so_it_is_recorded_once()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        await using var scope = app.Services.CreateAsyncScope();
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            CrmAppFactory.ActAs(scope, db, "demo-salesrep"); // as the HTTP middleware sets it: no circuit
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            scope.ServiceProvider.GetRequiredService<PermissionAdmin>().SetAsync(Role.Analyst, Module.Reports, Operation.Export, false));

        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.False(await check.AuditEntries.AnyAsync(a => a.Action == AuditAction.AccessDenied));
    }

    /// <summary>What Blazor does when a circuit starts: its authentication state is set, then the circuit handlers run.</summary>
    private static async Task OpenCircuitAsync(AsyncServiceScope scope)
    {
        var principal = scope.ServiceProvider.GetRequiredService<ClaimsCurrentUser>().Principal;
        var authentication = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        var handler = scope.ServiceProvider.GetServices<CircuitHandler>().OfType<CurrentUserCircuitHandler>().Single();
        await handler.OnCircuitOpenedAsync(null!, CancellationToken.None);
    }
}
