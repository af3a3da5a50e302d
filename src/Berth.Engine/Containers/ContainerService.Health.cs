using System.Text;
using System.Text.Json;
using Berth.Engine.Containers.Model;
using Berth.Oci.Image;
using Berth.Oci.Runtime;
using Berth.Engine.Tasks;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private const int HealthLogEntries = 5, HealthOutputLimit = 4096;

    /// <summary>
    /// The health check in force: the container's own, else the image's, field by field as Docker merges them, with
    /// Docker's defaults (30 s interval and timeout, 3 retries, 5 s start interval). Null when there is none or it is NONE.
    /// </summary>
    internal static HealthConfig? EffectiveHealthcheck(HealthConfig? container, ImageHealthcheck? image)
    {
        var test = container?.Test is { Count: > 0 } t ? t : image?.Test is { Count: > 0 } it ? it : null;
        if (test is null || test[0] == "NONE") return null;
        static TimeSpan Or(TimeSpan value, long? imageNanos, TimeSpan fallback) =>
            value > TimeSpan.Zero ? value : imageNanos is > 0 ? TimeSpan.FromTicks(imageNanos.Value / 100) : fallback;
        return new HealthConfig
        {
            Test = test,
            Interval = Or(container?.Interval ?? default, image?.Interval, TimeSpan.FromSeconds(30)),
            Timeout = Or(container?.Timeout ?? default, image?.Timeout, TimeSpan.FromSeconds(30)),
            StartPeriod = Or(container?.StartPeriod ?? default, image?.StartPeriod, TimeSpan.Zero),
            StartInterval = Or(container?.StartInterval ?? default, image?.StartInterval, TimeSpan.FromSeconds(5)),
            Retries = container?.Retries is > 0 ? container.Retries : image?.Retries is > 0 ? image.Retries.Value : 3,
        };
    }

    /// <summary>Probes the container until its run ends: each probe is an exec through the shim, its output kept.</summary>
    private async Task MonitorHealthAsync(Container container, ContainerRun run, HealthConfig check, string processTemplate)
    {
        var started = DateTime.UtcNow;
        while (!run.Exited.IsCompleted)
        {
            var inStartPeriod = DateTime.UtcNow - started < check.StartPeriod;
            var health = container.State.Health;
            var wait = inStartPeriod && health?.Status == "starting" ? check.StartInterval : check.Interval;
            if (await Task.WhenAny(run.Exited, Task.Delay(wait)) == run.Exited) return;
            if (container.State.Status != ContainerStatus.Running) continue;
            var result = await ProbeAsync(run, check, processTemplate);
            RecordHealth(container, result, check.Retries, inStartPeriod);
        }
    }

    private static async Task<HealthResult> ProbeAsync(ContainerRun run, HealthConfig check, string processTemplate)
    {
        var start = DateTime.UtcNow;
        var args = check.Test[0] == "CMD-SHELL" ? ["/bin/sh", "-c", string.Join(' ', check.Test.Skip(1))] : check.Test.Skip(1).ToList();
        var process = SpecReader.ReadProcess(Encoding.UTF8.GetBytes(processTemplate));
        process.Args = [.. args];
        process.Terminal = false;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) ProcessWriter.Write(writer, process);

        var output = new StringBuilder();
        using var timeout = new CancellationTokenSource(check.Timeout);
        try
        {
            var (_, stream) = await run.Task.ExecAsync(buffer.ToArray(), stdin: false, timeout.Token);
            using (stream)
            {
                while (await stream.ReadFrameAsync(timeout.Token) is { } frame)
                {
                    if (frame.Kind == TaskFrameKind.Exit) return new HealthResult(start, DateTime.UtcNow, frame.ExitCode, Truncate(output));
                    if (output.Length < HealthOutputLimit) output.Append(Encoding.UTF8.GetString(frame.Payload.Span));
                }
            }
            return new HealthResult(start, DateTime.UtcNow, -1, Truncate(output));
        }
        catch (OperationCanceledException)
        {
            return new HealthResult(start, DateTime.UtcNow, -1, $"Health check exceeded timeout ({check.Timeout.TotalSeconds}s)");
        }
        catch (Exception e) when (e is TaskFailedException or TaskGoneException)
        {
            return new HealthResult(start, DateTime.UtcNow, -1, e.Message);
        }
    }

    private void RecordHealth(Container container, HealthResult result, int retries, bool inStartPeriod)
    {
        string? changed = null;
        lock (container.Lock)
        {
            if (container.State.Health is not { } health) return;
            health.Log.Add(result);
            if (health.Log.Count > HealthLogEntries) health.Log.RemoveAt(0);
            var before = health.Status;
            if (result.ExitCode == 0)
            {
                health.FailingStreak = 0;
                health.Status = "healthy";
            }
            else if (!inStartPeriod || before != "starting")
            {
                health.FailingStreak++;
                if (health.FailingStreak >= retries) health.Status = "unhealthy";
            }
            if (health.Status != before) changed = health.Status;
        }
        Save(container);
        if (changed is not null) Publish(container, "health_status: " + changed);
    }

    private static string Truncate(StringBuilder output) =>
        output.Length <= HealthOutputLimit ? output.ToString() : output.ToString(0, HealthOutputLimit);
}
