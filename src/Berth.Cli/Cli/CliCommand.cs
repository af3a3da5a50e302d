namespace Berth.Cli.Cli;

/// <summary>
/// One <c>berth</c> command: a name, its usage line, its flags (bound into the instance by <see cref="Configure"/>),
/// and <see cref="RunAsync"/> over the client. A new instance per invocation. Returns the exit code, or throws:
/// <see cref="StatusException"/> for a chosen code, anything else prints its message and exits 1.
/// </summary>
internal abstract class CliCommand
{
    public abstract string Name { get; }

    /// <summary>The usage after the command path, e.g. <c>[OPTIONS] CONTAINER [CONTAINER...]</c>.</summary>
    public abstract string Usage { get; }

    public abstract string Short { get; }

    /// <summary>The help's description when it says more than <see cref="Short"/>.</summary>
    public virtual string? Long => null;

    public virtual ArgsRule Args => ArgsRule.Any;

    /// <summary>False for commands whose trailing arguments are another program's (run, create, exec).</summary>
    public virtual bool Interspersed => true;

    public abstract void Configure(FlagSet flags);

    public abstract Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken);
}

/// <summary>How many positional arguments a command takes, with docker's messages when the count is wrong.</summary>
internal sealed record ArgsRule(int Min, int Max)
{
    public static readonly ArgsRule Any = new(0, int.MaxValue);
    public static readonly ArgsRule None = new(0, 0);

    public static ArgsRule AtLeast(int min) => new(min, int.MaxValue);
    public static ArgsRule Exactly(int count) => new(count, count);
    public static ArgsRule Range(int min, int max) => new(min, max);
    public static ArgsRule AtMost(int max) => new(0, max);

    /// <summary>Null when <paramref name="count"/> fits; else docker's whole message (cobra's positional-argument checks).</summary>
    public string? Check(string commandPath, string useLine, int count)
    {
        if (count >= Min && count <= Max)
            return null;
        var usage = $"\n\nUsage:  {useLine}\n\n";
        if (Max == 0)
            return $"berth: '{commandPath}' accepts no arguments{usage}Run '{commandPath} --help' for more information";
        if (Min == Max)
            return $"berth: '{commandPath}' requires {Min} {Plural(Min)}{usage}Run '{commandPath} --help' for more information";
        if (Max == int.MaxValue)
            return $"berth: '{commandPath}' requires at least {Min} {Plural(Min)}{usage}See '{commandPath} --help' for more information";
        if (Min == 0)
            // "SRun" is docker 28's own spelling of this one message; scripts matching it see the same text.
            return $"berth: '{commandPath}' requires at most {Max} {Plural(Max)}{usage}SRun '{commandPath} --help' for more information";
        return $"berth: '{commandPath}' requires at least {Min} and at most {Max} {Plural(Max)}{usage}Run '{commandPath} --help' for more information";
    }

    private static string Plural(int n) => n == 1 ? "argument" : "arguments";
}

/// <summary>Ends the command with <see cref="ExitCode"/>, printing <see cref="Exception.Message"/> to stderr when not empty.</summary>
internal sealed class StatusException(int exitCode, string message = "") : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
