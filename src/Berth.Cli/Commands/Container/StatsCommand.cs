using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth stats [CONTAINER...]</c>: with <c>--no-stream</c> one sample per container; otherwise the table is
/// redrawn as samples arrive (each container streams on its own connection) until interrupted.
/// </summary>
internal sealed class StatsCommand : CliCommand
{
    private bool _all;
    private bool _noStream;
    private bool _noTrunc;
    private string _format = "";

    public override string Name => "stats";
    public override string Usage => "[OPTIONS] [CONTAINER...]";
    public override string Short => "Display a live stream of container(s) resource usage statistics";

    public override void Configure(FlagSet flags)
    {
        flags.Bool("all", 'a', "Show all containers (default shows just running)", v => _all = v);
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Bool("no-stream", null, "Disable streaming stats and only pull the first result", v => _noStream = v);
        flags.Bool("no-trunc", null, "Do not truncate output", v => _noTrunc = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var client = context.Client;
        var containers = args.Count > 0
            ? args.ToList()
            : (await client.ContainerListAsync(new ContainerListOptions { All = _all }, cancellationToken).ConfigureAwait(false)).Select(c => c.Id).ToList();
        var format = _format.Length == 0 || _format == "table" ? StatsContext.DefaultTable : _format;
        var latest = new ContainerStatsResponse?[containers.Count];
        if (_noStream)
        {
            var errors = new List<string>();
            for (var i = 0; i < containers.Count; i++)
            {
                try
                {
                    await foreach (var sample in client.ContainerStatsAsync(containers[i], stream: false, cancellationToken).ConfigureAwait(false))
                        latest[i] = sample;
                }
                catch (ApiException e)
                {
                    errors.Add(Errors.Describe(e));
                }
            }
            Write(context, format, latest);
            return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
        }
        var readers = containers.Select((id, i) => FollowAsync(client, id, sample => latest[i] = sample, cancellationToken)).ToList();
        var all = Task.WhenAll(readers);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(500, cancellationToken)).ConfigureAwait(false);
            await context.Out.WriteAsync(Repaint(Render(format, latest))).ConfigureAwait(false);
        }
        await all.ConfigureAwait(false);
        return 0;
    }

    private static async Task FollowAsync(IBerthClient client, string id, Action<ContainerStatsResponse> onSample, CancellationToken cancellationToken)
    {
        await foreach (var sample in client.ContainerStatsAsync(id, stream: true, cancellationToken).ConfigureAwait(false))
            onSample(sample);
    }

    private void Write(CliContext context, string format, IEnumerable<ContainerStatsResponse?> samples) =>
        context.Out.Write(Render(format, samples));

    private string Render(string format, IEnumerable<ContainerStatsResponse?> samples)
    {
        var rows = samples.Where(s => s is not null).Select(s => (object?)new StatsContext(s!, !_noTrunc)).ToList();
        var table = new StringWriter { NewLine = "\n" };
        FormattedOutput.Write(table, format, rows, StatsContext.Headers);
        return table.ToString();
    }

    /// <summary>
    /// docker's repaint, byte for byte: cursor home and the table, then every line of that again ending in
    /// erase-to-end-of-line (the first one starts with the cursor-home, so it overwrites in place), then erase below.
    /// </summary>
    internal static string Repaint(string table)
    {
        var frame = new global::System.Text.StringBuilder("\x1b[H").Append(table);
        foreach (var line in frame.ToString().Split('\n'))
            frame.Append(line).Append(" \x1b[K\n");
        return frame.Append("\x1b[J").ToString();
    }
}
