using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth update</c>: new resource limits and restart policy for each container; names printed as they succeed,
/// the daemon's warnings after them, errors together at the end. Unset flags are sent as zero, as docker sends them.
/// </summary>
internal sealed class UpdateCommand : CliCommand
{
    private readonly HostConfig _update = new();
    private string _restart = "";
    private FlagSet? _flags;

    public override string Name => "update";
    public override string Usage => "[OPTIONS] CONTAINER [CONTAINER...]";
    public override string Short => "Update configuration of one or more containers";
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        _flags = flags;
        flags.Int("blkio-weight", null, "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)", v => _update.BlkioWeight = v is >= 0 and <= ushort.MaxValue ? (ushort)v : throw new FormatException($"strconv.ParseUint: parsing \"{v}\": value out of range")).ValueTypeIs("uint16");
        flags.Long("cpu-period", null, "Limit CPU CFS (Completely Fair Scheduler) period", v => _update.CpuPeriod = v);
        flags.Long("cpu-quota", null, "Limit CPU CFS (Completely Fair Scheduler) quota", v => _update.CpuQuota = v);
        flags.Long("cpu-rt-period", null, "Limit the CPU real-time period in microseconds", v => _update.CpuRealtimePeriod = v);
        flags.Long("cpu-rt-runtime", null, "Limit the CPU real-time runtime in microseconds", v => _update.CpuRealtimeRuntime = v);
        flags.Long("cpu-shares", 'c', "CPU shares (relative weight)", v => _update.CpuShares = v);
        flags.String("cpus", null, "Number of CPUs", v => _update.NanoCpus = ValueParsers.NanoCpus(v)).ValueTypeIs("decimal");
        flags.String("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)", v => _update.CpusetCpus = v);
        flags.String("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)", v => _update.CpusetMems = v);
        flags.String("kernel-memory", null, "Kernel memory limit (deprecated)", _ => { }, hidden: true).ValueTypeIs("bytes");
        flags.String("memory", 'm', "Memory limit", v => _update.Memory = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.String("memory-reservation", null, "Memory soft limit", v => _update.MemoryReservation = ValueParsers.RamInBytes(v)).ValueTypeIs("bytes");
        flags.String("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", v => _update.MemorySwap = ValueParsers.MemorySwapBytes(v)).ValueTypeIs("bytes");
        flags.Long("pids-limit", null, "Tune container pids limit (set -1 for unlimited)", v => _update.PidsLimit = v);
        flags.String("restart", null, "Restart policy to apply when a container exits", v => _restart = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (_flags!.Flags.All(f => !f.Changed))
            throw new StatusException(1, "you must provide one or more flags when using this command");
        if (_restart.Length > 0)
        {
            var (name, retries) = ValueParsers.RestartPolicy(_restart);
            _update.RestartPolicy = new RestartPolicy { Name = name, MaximumRetryCount = retries };
        }
        var warnings = new List<string>();
        var errors = new List<string>();
        foreach (var container in args)
        {
            try
            {
                var response = await context.Client.ContainerUpdateAsync(container, _update, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(container).ConfigureAwait(false);
                warnings.AddRange(response.Warnings);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(Errors.Describe(e));
            }
        }
        if (warnings.Count > 0)
            await context.Out.WriteLineAsync(string.Join('\n', warnings)).ConfigureAwait(false);
        return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
    }
}
