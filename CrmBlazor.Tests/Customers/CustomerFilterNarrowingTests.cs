using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Tests.Customers;

/// <summary>The phone list's "筛选" button shows a dot when a folded filter narrows the list; an emptied choice does not.</summary>
public sealed class CustomerFilterNarrowingTests
{
    [Fact]
    public void The_search_box_alone_or_choices_emptied_again_do_not_count_as_a_filter()
    {
        Assert.False(new CustomerFilter().NarrowsBeyondSearch);
        Assert.False(new CustomerFilter { Search = "鼎盛" }.NarrowsBeyondSearch);
        Assert.False(new CustomerFilter { Industries = new List<string>(), TagIds = new List<Guid>(), Sort = CustomerSort.Name }.NarrowsBeyondSearch);
    }

    [Fact]
    public void Any_folded_filter_counts()
    {
        Assert.True(new CustomerFilter { Industries = ["retail"] }.NarrowsBeyondSearch);
        Assert.True(new CustomerFilter { Tiers = ["A"] }.NarrowsBeyondSearch);
        Assert.True(new CustomerFilter { Province = "浙江" }.NarrowsBeyondSearch);
        Assert.True(new CustomerFilter { NeverContacted = true }.NarrowsBeyondSearch);
        Assert.True(new CustomerFilter { LastContactTo = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc) }.NarrowsBeyondSearch);
    }
}
