using System.Threading.Channels;
using Berth.Api.Models;
using Berth.Api.Models.Streams;

namespace Berth.Api.Server.Streams;

/// <summary>
/// Runs a long engine call that reports progress, writing each report as a JSON message in order. An error before the
/// first message propagates (a real status from the error mapper); after it, the stream ends with an error message.
/// </summary>
public static class ProgressPump
{
    public static async Task<T?> RunAsync<T, TProgress>(
        JsonMessageStream stream, Func<IProgress<TProgress>, Task<T>> call, Func<TProgress, JsonMessage> render)
    {
        var channel = Channel.CreateUnbounded<TProgress>(new UnboundedChannelOptions { SingleReader = true });
        var task = Task.Run(async () =>
        {
            try
            {
                return await call(new ChannelProgress<TProgress>(channel.Writer));
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
        await foreach (var report in channel.Reader.ReadAllAsync()) await stream.WriteAsync(render(report));
        try
        {
            return await task;
        }
        catch (Exception e) when (stream.Started && e is not OperationCanceledException)
        {
            await stream.WriteErrorAsync(e.Message);
            return default;
        }
    }

    /// <summary>Docker's bar: 50 columns, then <c>current/total</c> in decimal units.</summary>
    public static string Bar(long current, long total)
    {
        if (total <= 0) return HumanUnits.Size(current);
        var filled = (int)Math.Min(50, current * 50 / total);
        var bar = new string('=', filled) + (filled < 50 ? ">" : "") + new string(' ', Math.Max(0, 49 - filled));
        return $"[{bar}] {HumanUnits.Size(current),8}/{HumanUnits.Size(total)}";
    }

    private sealed class ChannelProgress<TProgress>(ChannelWriter<TProgress> writer) : IProgress<TProgress>
    {
        public void Report(TProgress value) => writer.TryWrite(value);
    }
}
