using System.Net;
using Berth.Distribution.Server;
using Berth.Distribution.Server.Http;
using Berth.Distribution.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Tests.Http;

public sealed class HostingTests
{
    [Fact]
    public async Task ServesHttpsWithTheGivenCertificateAndKey()
    {
        await using var registry = await TestRegistry.StartTlsAsync();
        Assert.Equal("https", registry.BaseAddress.Scheme);
        using var response = await registry.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RegistryCanBeMappedIntoAnExistingApplication()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddBerthRegistry(new RegistryOptions(), new InMemoryDriver());
        await using var app = builder.Build();
        app.MapGet("/_ping", () => "OK");
        app.MapBerthRegistry();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Equal("OK", await client.GetStringAsync("/_ping"));
        var digest = TestRegistry.Sha256([1, 2, 3]);
        using var push = await client.PostAsync($"/v2/embedded/blobs/uploads/?digest={digest}", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal([1, 2, 3], await client.GetByteArrayAsync($"/v2/embedded/blobs/{digest}"));
        await app.StopAsync();
    }

    [Fact]
    public async Task InMemoryStorageServesTheSameApi()
    {
        await using var registry = await TestRegistry.StartAsync("--storage", "inmemory");
        var (manifest, digest) = await registry.PushImageAsync("mem", "v1");
        Assert.Equal(manifest, await registry.Client.GetByteArrayAsync($"/v2/mem/manifests/{digest}"));
        Assert.False(Directory.Exists(registry.Root));
    }
}
