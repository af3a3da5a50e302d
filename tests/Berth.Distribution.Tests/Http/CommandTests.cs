using System.Net;
using Berth.Registry;

namespace Berth.Distribution.Tests.Http;

public sealed class CommandTests
{
    [Fact]
    public async Task GcCommandRemovesWhatNoManifestReferencesAndDryRunDoesNot()
    {
        string root;
        string orphan;
        await using (var registry = await TestRegistry.StartAsync())
        {
            root = registry.Root;
            await registry.PushImageAsync("kept", "v1");
            orphan = await registry.PushBlobAsync("kept", "orphan"u8.ToArray());
            var dry = await RunGcAsync(root, "--dry-run");
            Assert.Contains("would remove 1 blobs (6 bytes)", dry);
            using (var stillThere = await registry.Client.GetAsync($"/v2/kept/blobs/{orphan}"))
                Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);

            var real = await RunGcAsync(root);
            Assert.Contains("removed 1 blobs (6 bytes)", real);
            using var gone = await registry.Client.GetAsync($"/v2/kept/blobs/{orphan}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            using var image = await registry.Client.GetAsync("/v2/kept/manifests/v1");
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        }
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--addr")]
    [InlineData("positional")]
    public void UnknownOrIncompleteOptionsAreUsageErrors(string arg) =>
        Assert.Throws<UsageException>(() => CommandLine.Parse([arg], ServeCommand.Options, ServeCommand.Flags));

    [Fact]
    public void OptionsTakeSpaceOrEqualsForms()
    {
        var line = CommandLine.Parse(["--addr=127.0.0.1:1", "--root", "/r", "--auth-token-anonymous-pull"], ServeCommand.Options, ServeCommand.Flags);
        Assert.Equal("127.0.0.1:1", line.Get("addr"));
        Assert.Equal("/r", line.Get("root"));
        Assert.True(line.Flag("auth-token-anonymous-pull"));
    }

    private static async Task<string> RunGcAsync(string root, params string[] extra)
    {
        using var output = new StringWriter();
        var line = CommandLine.Parse(["--root", root, .. extra], GcCommand.Options, GcCommand.Flags);
        Assert.Equal(0, await GcCommand.RunAsync(line, output, CancellationToken.None));
        return output.ToString();
    }
}
