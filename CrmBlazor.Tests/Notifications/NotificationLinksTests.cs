using CrmBlazor.Domain.Notifications;
using CrmBlazor.Server.Features.Notifications;
using Microsoft.AspNetCore.Components;

namespace CrmBlazor.Tests.Notifications;

/// <summary>A notification names its subject; the Server's <see cref="NotificationLinks"/> opens that subject's page.</summary>
public sealed class NotificationLinksTests
{
    private static readonly Guid Id = Guid.Parse("0190f0c4-5a55-7000-8000-0000000000ef");

    public static TheoryData<NotificationSubjectKind> Kinds() => [.. Enum.GetValues<NotificationSubjectKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_subject_kind_opens_a_page_of_this_app_and_survives_being_stored(NotificationSubjectKind kind)
    {
        var subject = new NotificationSubject(kind, kind is NotificationSubjectKind.Customers or NotificationSubjectKind.Leads
            or NotificationSubjectKind.Approvals or NotificationSubjectKind.MyFeedback ? null : Id);

        var link = NotificationLinks.For(subject);

        Assert.NotNull(link);
        var path = link.Split('?')[0];
        Assert.True(PageRoutes().Any(route => Matches(route, path)), $"{kind}: no page answers {path}");
        Assert.Equal(subject, NotificationSubject.Parse(subject.ToString()));
    }

    [Fact]
    public void A_record_subject_links_to_that_record()
    {
        Assert.Equal($"/customers/{Id}", NotificationLinks.For(NotificationSubject.Customer(Id)));
        Assert.Equal($"/tickets/{Id}", NotificationLinks.For(NotificationSubject.Ticket(Id)));
        Assert.Equal($"/leads/import?job={Id}", NotificationLinks.For(new NotificationSubject(NotificationSubjectKind.LeadImport, Id)));
        Assert.Equal("/approvals", NotificationLinks.For(NotificationSubject.Approvals));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/customers/x")]
    [InlineData("Planet:0190f0c4-5a55-7000-8000-0000000000ef")]
    [InlineData("Customer:not-an-id")]
    [InlineData("3")]
    [InlineData("customer:0190f0c4-5a55-7000-8000-0000000000ef")]
    public void A_stored_text_this_build_does_not_know_opens_nothing(string? stored)
    {
        Assert.Null(NotificationSubject.Parse(stored));
        Assert.Null(NotificationLinks.For(NotificationSubject.Parse(stored)));
    }

    [Fact]
    public void A_record_kind_without_its_id_opens_nothing()
    {
        Assert.Null(NotificationLinks.For(new NotificationSubject(NotificationSubjectKind.Demand)));
        Assert.Null(NotificationLinks.For(NotificationSubject.Parse("Opportunity")));
    }

    private static IEnumerable<string> PageRoutes() =>
        typeof(NotificationLinks).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>())
            .Select(r => r.Template);

    private static bool Matches(string template, string path)
    {
        var (want, have) = (template.Trim('/').Split('/'), path.Trim('/').Split('/'));
        return want.Length == have.Length && want.Zip(have).All(p => p.First switch
        {
            ['{', ..] when p.First.EndsWith(":guid}", StringComparison.Ordinal) => Guid.TryParse(p.Second, out _),
            ['{', ..] => true,
            _ => string.Equals(p.First, p.Second, StringComparison.Ordinal),
        });
    }
}
