using Berth.Api.Models;
using Berth.Api.Models.System;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth system df</c>: totals per type (images, containers, local volumes, build cache) with what a prune would
/// reclaim; with <c>-v</c>, every image, container, volume and build cache record in its own table.
/// </summary>
internal sealed class DiskUsageCommand : CliCommand
{
    private const string DefaultTable = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    private string _format = "";
    private bool _verbose;

    public override string Name => "df";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Show berth disk usage";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.Bool("verbose", 'v', "Show detailed information on space usage", v => _verbose = v);
        flags.String("format", null, FormatHelp.Table, v => _format = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var usage = await context.Client.DiskUsageAsync(cancellationToken).ConfigureAwait(false);
        if (_verbose)
        {
            DiskUsageVerbose.Write(context.Out, _format, usage, context.Clock);
            return 0;
        }
        var rows = Rows(usage).Select(r => (object?)r).ToList();
        FormattedOutput.Write(context.Out, _format.Length == 0 || _format == "table" ? DefaultTable : _format, rows, UsageRow.Headers);
        return 0;
    }

    internal static IEnumerable<UsageRow> Rows(SystemDfResponse usage)
    {
        var activeImages = usage.Images.Where(i => i.Containers > 0).ToList();
        var usedByImages = activeImages.Where(i => i.Size != -1 && i.SharedSize != -1).Sum(i => i.Size - i.SharedSize);
        yield return new UsageRow("Images", usage.Images.Count, activeImages.Count, usage.LayersSize, usage.LayersSize - usedByImages);

        var containersSize = usage.Containers.Sum(c => c.SizeRw ?? 0);
        var stopped = usage.Containers.Where(c => c.State != "running").Sum(c => c.SizeRw ?? 0);
        yield return new UsageRow("Containers", usage.Containers.Count, usage.Containers.Count(c => c.State == "running"), containersSize, stopped);

        var sized = usage.Volumes.Where(v => v.UsageData is { Size: not -1 }).ToList();
        yield return new UsageRow("Local Volumes", usage.Volumes.Count, usage.Volumes.Count(v => v.UsageData is { RefCount: > 0 }),
            sized.Sum(v => v.UsageData!.Size), sized.Where(v => v.UsageData!.RefCount == 0).Sum(v => v.UsageData!.Size));

        // docker prints the build cache's reclaimable space without a percentage.
        yield return new UsageRow("Build Cache", usage.BuildCache.Count, usage.BuildCache.Count(b => b.InUse),
            usage.BuildCache.Where(b => !b.Shared).Sum(b => b.Size), usage.BuildCache.Where(b => !b.InUse && !b.Shared).Sum(b => b.Size), percentage: false);
    }

    internal sealed class UsageRow(string type, int total, int active, long size, long reclaimable, bool percentage = true) : ITemplateObject
    {
        public static readonly HeaderContext Headers = new(new Dictionary<string, string>
        {
            ["Type"] = "TYPE", ["TotalCount"] = "TOTAL", ["Active"] = "ACTIVE", ["Size"] = "SIZE", ["Reclaimable"] = "RECLAIMABLE",
        });

        public IEnumerable<string> FieldNames => ["Active", "Reclaimable", "Size", "TotalCount", "Type"];

        public bool TryGetField(string name, out object? value)
        {
            value = name switch
            {
                "Type" => type,
                "TotalCount" => total.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
                "Active" => active.ToString(global::System.Globalization.CultureInfo.InvariantCulture),
                "Size" => HumanUnits.Size(size),
                "Reclaimable" => size > 0 && percentage ? $"{HumanUnits.Size(reclaimable)} ({reclaimable * 100 / size}%)" : HumanUnits.Size(reclaimable),
                _ => null,
            };
            return value is not null;
        }
    }
}
