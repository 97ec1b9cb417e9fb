using System.Net.Http.Json;

namespace CrmBlazor.Tests.Api;

/// <summary>A change sent as an API client sends it: a JSON body and the ETag it read in <c>If-Match</c>.</summary>
public static class IfMatchRequests
{
    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.ParseAdd(ifMatch);
        return client.SendAsync(request);
    }
}
