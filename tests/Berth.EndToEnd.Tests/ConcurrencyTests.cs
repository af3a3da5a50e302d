using System.Net;
using System.Text;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Lookups under load: while clients create, rename, tag and remove other objects, a running container and a tagged
/// image are always found, by every name they answer to. Bounded: a few clients, a fixed count of operations each.
/// </summary>
public sealed class ConcurrencyTests : IClassFixture<DaemonProcess>
{
    private const int Writers = 4, OperationsPerWriter = 25, Readers = 2, LookupsPerReader = 150;

    private readonly DaemonProcess _daemon;

    public ConcurrencyTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public async Task Objects_are_found_while_others_come_and_go()
    {
        var id = _daemon.Docker("run", "-d", "--name", "steady", "busybox", "sleep", "300").Ok("run -d").Output;
        _daemon.Docker("tag", "busybox", "steady-image:1").Ok("tag");
        using var client = _daemon.ApiClient();

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < OperationsPerWriter; i++)
            {
                var created = await client.PostAsync("/v1.44/containers/create?name=churn-" + w + "-" + i,
                    new StringContent("{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                Assert.Equal(HttpStatusCode.NoContent,
                    (await client.PostAsync($"/v1.44/containers/churn-{w}-{i}/rename?name=renamed-{w}-{i}", null)).StatusCode);
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/v1.44/images/busybox/tag?repo=churn{w}&tag={i}", null)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/v1.44/images/churn{w}:{i}")).StatusCode);
                Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/v1.44/containers/renamed-{w}-{i}?force=1")).StatusCode);
            }
        }));
        var readers = Enumerable.Range(0, Readers).Select(_ => Task.Run(async () =>
        {
            var missed = new List<string>();
            foreach (var path in Enumerable.Range(0, LookupsPerReader).SelectMany(_ => new[]
                     {
                         "/v1.44/containers/steady/json", $"/v1.44/containers/{id}/json", $"/v1.44/containers/{id[..12]}/json",
                         "/v1.44/images/steady-image:1/json",
                     }))
            {
                var response = await client.GetAsync(path);
                if (response.StatusCode != HttpStatusCode.OK) missed.Add($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            return missed;
        }));

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));
        var misses = (await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(3))).SelectMany(m => m).ToList();

        Assert.True(misses.Count == 0, string.Join('\n', misses.Take(10)));
        _daemon.Docker("rm", "-f", "steady").Ok("rm -f");
        _daemon.Docker("rmi", "steady-image:1").Ok("rmi");
    }
}
