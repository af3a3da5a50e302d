using System.Runtime.CompilerServices;
using Berth.Api.Client;
using Berth.Api.Models.Streams;

namespace Berth.Cli.Tests.Fakes;

internal sealed partial class FakeBerthClient
{
    public List<ImageBuildOptions> BuildRequests { get; } = [];

    /// <summary>The context bytes of the last build, as the daemon would have received them.</summary>
    public byte[] BuildContextBytes { get; private set; } = [];

    public List<JsonMessage> BuildMessages { get; } = [];

    public async IAsyncEnumerable<JsonMessage> ImageBuildAsync(BuildContext context, ImageBuildOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Record($"Build dockerfile={options.Dockerfile}");
        BuildRequests.Add(options);
        using var body = new MemoryStream();
        await context.WriteAsync(body, cancellationToken);
        BuildContextBytes = body.ToArray();
        foreach (var message in BuildMessages)
            yield return message;
    }
}
