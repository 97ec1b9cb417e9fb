using CrmBlazor.Domain.Webhooks;

namespace CrmBlazor.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Fact]
    public void The_signature_matches_the_standard_webhooks_reference_vector()
    {
        // The example in the Standard Webhooks specification and the Svix documentation.
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string body = "{\"test\": 2432232314}";

        var signature = WebhookSignature.Sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
        Assert.True(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, "v1,bm90IGl0 " + signature));
        Assert.False(WebhookSignature.Verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, body, signature));
    }

    [Fact]
    public void Retry_delays_double_from_ten_seconds_up_to_the_cap()
    {
        var options = new WebhookOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.RetryDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(20), options.RetryDelay(2));
        Assert.Equal(TimeSpan.FromSeconds(80), options.RetryDelay(4));
        Assert.Equal(TimeSpan.FromHours(2), options.RetryDelay(30));
    }
}
