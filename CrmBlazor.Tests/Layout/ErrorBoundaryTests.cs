using Bunit;
using CrmBlazor.Server.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace CrmBlazor.Tests.Layout;

public sealed class ErrorBoundaryTests : MudTestContext
{
    [Fact]
    public void An_unexpected_error_shows_a_message_with_the_correlation_id_and_try_again_recovers()
    {
        Thrower.Fail = true;
        var boundary = Render<CrmErrorBoundary>(p => p.AddChildContent<Thrower>());

        Assert.Contains("Something went wrong", boundary.Markup, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(boundary.Instance.CorrelationId));
        Assert.Contains(boundary.Instance.CorrelationId!, boundary.Markup, StringComparison.Ordinal);

        Thrower.Fail = false;
        boundary.Find("button").Click();
        Assert.Contains("page content", boundary.Markup, StringComparison.Ordinal);
    }

    private sealed class Thrower : ComponentBase
    {
        public static bool Fail { get; set; }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            if (Fail)
            {
                throw new InvalidOperationException("boom");
            }
            builder.AddContent(0, "page content");
        }
    }
}
