using System.Globalization;

namespace Berth.Dockerfile;

/// <summary>
/// <c>HEALTHCHECK NONE</c> or <c>HEALTHCHECK [--interval --timeout --start-period --start-interval --retries] CMD …</c>,
/// with BuildKit's checks (durations as Go writes them, at least 1ms unless 0; retries not negative).
/// </summary>
internal static class HealthcheckFactory
{
    public static HealthcheckInstruction Create(SyntaxNode node)
    {
        if (node.Args.Count == 0)
        {
            throw InstructionFactory.AtLeastOne("HEALTHCHECK");
        }
        var type = node.Args[0].ToUpperInvariant();
        var args = node.Args.Skip(1).ToList();
        if (type == "NONE")
        {
            // BuildKit reads no flags for NONE: they are ignored, not refused.
            if (args.Count != 0)
            {
                throw new DockerfileException(0, "HEALTHCHECK NONE takes no arguments");
            }
            return new HealthcheckInstruction(node.Line, node.Original, ["NONE"], null, null, null, null, null);
        }
        var flags = new InstructionFlags(node.Flags).String("interval", "timeout", "start-period", "start-interval", "retries").Parse();
        if (type != "CMD")
        {
            throw new DockerfileException(0, $"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
        }
        var command = InstructionFactory.CommandLine(args, node.Json).Arguments;
        if (command.Count == 0)
        {
            throw new DockerfileException(0, "Missing command after HEALTHCHECK CMD");
        }
        return new HealthcheckInstruction(
            node.Line, node.Original, [node.Json ? "CMD" : "CMD-SHELL", .. command],
            Interval(flags, "interval"), Interval(flags, "timeout"), Interval(flags, "start-period"),
            Interval(flags, "start-interval"), Retries(flags.GetString("retries")));
    }

    /// <summary>Null when not given or 0 (Docker's "use the default").</summary>
    private static TimeSpan? Interval(InstructionFlags flags, string name)
    {
        var value = flags.GetString(name);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var duration = GoDuration.Parse(value);
        if (duration == TimeSpan.Zero)
        {
            return null;
        }
        if (duration < TimeSpan.FromMilliseconds(1))
        {
            throw new DockerfileException(0, $"Interval \"{name}\" cannot be less than 1ms");
        }
        return duration;
    }

    private static int? Retries(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var retries))
        {
            throw new DockerfileException(0, $"strconv.ParseInt: parsing \"{value}\": invalid syntax");
        }
        if (retries < 0)
        {
            throw new DockerfileException(0, $"--retries cannot be negative ({retries})");
        }
        return retries;
    }
}
