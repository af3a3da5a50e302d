namespace Berth.Dockerfile;

/// <summary>
/// A parsed Dockerfile: the ARGs before the first FROM, then its stages in order. Words are kept as written
/// (unexpanded); the builder expands each instruction when it reaches it, with the variables in effect there
/// (<see cref="Instruction.Expand"/>).
/// </summary>
public sealed record DockerfileDocument(
    IReadOnlyList<ArgInstruction> GlobalArgs,
    IReadOnlyList<Stage> Stages,
    char EscapeToken,
    IReadOnlyList<DockerfileWarning> Warnings);

/// <summary>One <c>FROM</c> and what follows it up to the next FROM. <see cref="Name"/> is the <c>AS</c> name, lower-cased.</summary>
public sealed record Stage(int Index, string? Name, FromInstruction From, IReadOnlyList<Instruction> Instructions);

/// <summary>Something the parser accepted but Docker warns about (an empty continuation line, MAINTAINER…).</summary>
public sealed record DockerfileWarning(int Line, string Message);

/// <summary>
/// One instruction. <see cref="Line"/> is its first line (1-based), <see cref="Original"/> its text as the build output
/// shows it in <c>Step N/M : …</c>: the lines joined without their continuation escapes, comments dropped.
/// </summary>
public abstract record Instruction(int Line, string Original)
{
    /// <summary>The instruction's keyword, upper case (<c>RUN</c>, <c>COPY</c>…).</summary>
    public abstract string Keyword { get; }

    /// <summary>
    /// This instruction with every word Docker expands replaced by <paramref name="expand"/>'s result (FROM, ADD, COPY,
    /// ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR, ARG defaults, and the flags of ADD/COPY/RUN). RUN, CMD,
    /// ENTRYPOINT, SHELL, HEALTHCHECK and ONBUILD are left as written: their shell expands them, or a later build does.
    /// </summary>
    public virtual Instruction Expand(Func<string, string> expand) => this;
}

/// <summary>A command in shell form (<see cref="PrependShell"/>: run it with the stage's SHELL) or exec form (a JSON array).</summary>
public sealed record CommandLine(IReadOnlyList<string> Arguments, bool PrependShell);

/// <summary>
/// A here-document: <c>&lt;&lt;EOF</c> (or <c>&lt;&lt;-EOF</c>, which strips leading tabs), its body as written with the
/// final newline; <see cref="Expand"/> is false when the delimiter has a quoted part (<c>&lt;&lt;"EOF"</c>).
/// </summary>
public sealed record Heredoc(string Name, string Content, bool Expand, bool StripTabs)
{
    /// <summary>The body to use: <see cref="Content"/> with each line's leading tabs removed for <c>&lt;&lt;-</c>.</summary>
    public string Body => StripTabs ? string.Join('\n', Content.Split('\n').Select(l => l.TrimStart('\t'))) : Content;
}

public sealed record KeyValue(string Key, string Value);

public sealed record FromInstruction(int Line, string Original, string Image, string? StageName, string? Platform) : Instruction(Line, Original)
{
    public override string Keyword => "FROM";

    public override Instruction Expand(Func<string, string> expand) =>
        this with { Image = expand(Image), Platform = Platform is null ? null : expand(Platform) };
}

/// <summary><c>RUN [--mount=…] [--network=…] [--security=…] cmd</c>; heredocs give the script (shell form only).</summary>
public sealed record RunInstruction(
    int Line, string Original, CommandLine Command, IReadOnlyList<RunMount> Mounts, string? Network, string? Security,
    IReadOnlyList<Heredoc> Heredocs) : Instruction(Line, Original)
{
    public override string Keyword => "RUN";

    public override Instruction Expand(Func<string, string> expand) =>
        this with { Mounts = [.. Mounts.Select(m => m.Expand(expand))], Network = Network is null ? null : expand(Network) };
}

/// <summary>
/// One <c>--mount</c> of RUN as BuildKit spells it: <c>type=bind|cache|tmpfs|secret|ssh</c> (bind by default) and its
/// options (<c>target</c>, <c>source</c>, <c>from</c>, <c>id</c>, <c>sharing</c>, <c>mode</c>, <c>uid</c>, <c>gid</c>,
/// <c>readonly</c>/<c>ro</c>, <c>rw</c>…), keys lower-cased, values as written.
/// </summary>
public sealed record RunMount(string Type, IReadOnlyDictionary<string, string> Options)
{
    public string? Target => Options.GetValueOrDefault("target") ?? Options.GetValueOrDefault("dst") ?? Options.GetValueOrDefault("destination");

    public RunMount Expand(Func<string, string> expand) =>
        this with { Options = Options.ToDictionary(o => o.Key, o => expand(o.Value), StringComparer.Ordinal) };
}

public sealed record CmdInstruction(int Line, string Original, CommandLine Command) : Instruction(Line, Original)
{
    public override string Keyword => "CMD";
}

public sealed record EntrypointInstruction(int Line, string Original, CommandLine Command) : Instruction(Line, Original)
{
    public override string Keyword => "ENTRYPOINT";
}

public sealed record ShellInstruction(int Line, string Original, IReadOnlyList<string> Shell) : Instruction(Line, Original)
{
    public override string Keyword => "SHELL";
}

public sealed record LabelInstruction(int Line, string Original, IReadOnlyList<KeyValue> Labels) : Instruction(Line, Original)
{
    public override string Keyword => "LABEL";

    public override Instruction Expand(Func<string, string> expand) =>
        this with { Labels = [.. Labels.Select(l => new KeyValue(expand(l.Key), expand(l.Value)))] };
}

public sealed record MaintainerInstruction(int Line, string Original, string Maintainer) : Instruction(Line, Original)
{
    public override string Keyword => "MAINTAINER";
}

public sealed record ExposeInstruction(int Line, string Original, IReadOnlyList<string> Ports) : Instruction(Line, Original)
{
    public override string Keyword => "EXPOSE";

    public override Instruction Expand(Func<string, string> expand) => this with { Ports = [.. Ports.Select(expand)] };
}

public sealed record EnvInstruction(int Line, string Original, IReadOnlyList<KeyValue> Variables) : Instruction(Line, Original)
{
    public override string Keyword => "ENV";

    /// <summary>Each value is expanded with the variables in effect before this ENV (Docker's rule): the caller's expander.</summary>
    public override Instruction Expand(Func<string, string> expand) =>
        this with { Variables = [.. Variables.Select(v => new KeyValue(expand(v.Key), expand(v.Value)))] };
}

/// <summary>
/// COPY and ADD. <see cref="Sources"/> are context paths or globs (ADD also URLs; COPY --from a stage or image),
/// <see cref="Destination"/> a path in the image (ending in / for a directory); heredocs are inline sources.
/// </summary>
public sealed record CopyInstruction(
    int Line, string Original, bool IsAdd, IReadOnlyList<string> Sources, string Destination, string? From, string? Chown,
    string? Chmod, bool Link, IReadOnlyList<string> Excludes, string? Checksum, bool KeepGitDir, IReadOnlyList<Heredoc> Heredocs)
    : Instruction(Line, Original)
{
    public override string Keyword => IsAdd ? "ADD" : "COPY";

    /// <summary>COPY <c>--parents</c>: keep each source's parent directories under the destination.</summary>
    public bool Parents { get; init; }

    /// <summary>ADD <c>--unpack</c>: null when not given (archives from the context unpack, from a URL not).</summary>
    public bool? Unpack { get; init; }

    public override Instruction Expand(Func<string, string> expand) => this with
    {
        Sources = [.. Sources.Select(expand)],
        Destination = expand(Destination),
        From = From is null ? null : expand(From),
        Chown = Chown is null ? null : expand(Chown),
        Chmod = Chmod is null ? null : expand(Chmod),
        Excludes = [.. Excludes.Select(expand)],
        Checksum = Checksum is null ? null : expand(Checksum),
    };
}

public sealed record VolumeInstruction(int Line, string Original, IReadOnlyList<string> Paths) : Instruction(Line, Original)
{
    public override string Keyword => "VOLUME";

    public override Instruction Expand(Func<string, string> expand) => this with { Paths = [.. Paths.Select(expand)] };
}

public sealed record UserInstruction(int Line, string Original, string User) : Instruction(Line, Original)
{
    public override string Keyword => "USER";

    public override Instruction Expand(Func<string, string> expand) => this with { User = expand(User) };
}

public sealed record WorkdirInstruction(int Line, string Original, string Path) : Instruction(Line, Original)
{
    public override string Keyword => "WORKDIR";

    public override Instruction Expand(Func<string, string> expand) => this with { Path = expand(Path) };
}

/// <summary><c>ARG name[=default] …</c>; a default is null when none is written.</summary>
public sealed record ArgInstruction(int Line, string Original, IReadOnlyList<ArgDefinition> Arguments) : Instruction(Line, Original)
{
    public override string Keyword => "ARG";

    public override Instruction Expand(Func<string, string> expand) =>
        this with { Arguments = [.. Arguments.Select(a => a with { Default = a.Default is null ? null : expand(a.Default) })] };
}

public sealed record ArgDefinition(string Name, string? Default);

/// <summary><c>ONBUILD</c>: <see cref="Trigger"/> is the instruction's text as written, run by builds FROM this image.</summary>
public sealed record OnbuildInstruction(int Line, string Original, string Trigger) : Instruction(Line, Original)
{
    public override string Keyword => "ONBUILD";
}

public sealed record StopSignalInstruction(int Line, string Original, string Signal) : Instruction(Line, Original)
{
    public override string Keyword => "STOPSIGNAL";

    public override Instruction Expand(Func<string, string> expand) => this with { Signal = expand(Signal) };
}

/// <summary>
/// <c>HEALTHCHECK NONE</c> (<see cref="Test"/> is <c>["NONE"]</c>) or <c>HEALTHCHECK [options] CMD …</c> (<c>["CMD", …]</c>
/// for the exec form, <c>["CMD-SHELL", "…"]</c> for the shell form). Durations are null when not given.
/// </summary>
public sealed record HealthcheckInstruction(
    int Line, string Original, IReadOnlyList<string> Test, TimeSpan? Interval, TimeSpan? Timeout, TimeSpan? StartPeriod,
    TimeSpan? StartInterval, int? Retries) : Instruction(Line, Original)
{
    public override string Keyword => "HEALTHCHECK";
}
