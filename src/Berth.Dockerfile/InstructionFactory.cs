using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// Turns a <see cref="SyntaxNode"/> into its typed <see cref="Instruction"/>, checking arguments and flags with
/// BuildKit's rules. Errors read <c>dockerfile parse error on line N: …</c>, as Docker prints them.
/// </summary>
internal static partial class InstructionFactory
{
    private static readonly string[] Keywords =
    [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
        "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ];

    public static Instruction Create(SyntaxNode node)
    {
        try
        {
            return CreateUnchecked(node);
        }
        catch (DockerfileException e) when (e.Line == 0)
        {
            throw new DockerfileException(node.Line, $"dockerfile parse error on line {node.Line}: {e.Message}");
        }
    }

    private static Instruction CreateUnchecked(SyntaxNode node) => node.Keyword.ToUpperInvariant() switch
    {
        "FROM" => From(node),
        "RUN" => Run(node),
        "CMD" => new CmdInstruction(node.Line, node.Original, FlaglessCommand(node)),
        "ENTRYPOINT" => new EntrypointInstruction(node.Line, node.Original, FlaglessCommand(node)),
        "SHELL" => Shell(node),
        "LABEL" => new LabelInstruction(node.Line, node.Original, KeyValues(node, "LABEL")),
        "ENV" => new EnvInstruction(node.Line, node.Original, KeyValues(node, "ENV")),
        "MAINTAINER" => new MaintainerInstruction(node.Line, node.Original, ExactlyOne(node, "MAINTAINER", parseFlags: true)),
        "EXPOSE" => Expose(node),
        "ADD" => Copy(node, isAdd: true),
        "COPY" => Copy(node, isAdd: false),
        "VOLUME" => Volume(node),
        "USER" => new UserInstruction(node.Line, node.Original, ExactlyOne(node, "USER", parseFlags: true)),
        "WORKDIR" => new WorkdirInstruction(node.Line, node.Original, ExactlyOne(node, "WORKDIR", parseFlags: true)),
        "ARG" => Arg(node),
        "ONBUILD" => Onbuild(node),
        // BuildKit reads no flags for STOPSIGNAL: they are ignored, not refused.
        "STOPSIGNAL" => new StopSignalInstruction(node.Line, node.Original, ExactlyOne(node, "STOPSIGNAL", parseFlags: false)),
        "HEALTHCHECK" => HealthcheckFactory.Create(node),
        _ => throw new DockerfileException(0, Suggestion.Append($"unknown instruction: {node.Keyword}", node.Keyword, Keywords, caseSensitive: false)),
    };

    private static InstructionFlags Flags(SyntaxNode node) => new InstructionFlags(node.Flags).Parse();

    private static FromInstruction From(SyntaxNode node)
    {
        var args = node.Args;
        string? name = null;
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            name = args[2].ToLowerInvariant();
            if (!StageName().IsMatch(name))
            {
                throw new DockerfileException(0, $"invalid name for build stage: \"{args[2]}\", name can't start with a number or contain symbols");
            }
        }
        else if (args.Count != 1)
        {
            throw new DockerfileException(0, "FROM requires either one or three arguments");
        }
        var flags = new InstructionFlags(node.Flags).String("platform").Parse();
        return new FromInstruction(node.Line, node.Original, args[0], name, flags.GetString("platform"));
    }

    private static RunInstruction Run(SyntaxNode node)
    {
        var flags = new InstructionFlags(node.Flags).List("mount").String("network", "security").Parse();
        var network = flags.GetString("network");
        if (network is not (null or "default" or "none" or "host"))
        {
            throw new DockerfileException(0, $"invalid network mode \"{network}\"");
        }
        var security = flags.GetString("security");
        if (security is not (null or "sandbox" or "insecure"))
        {
            throw new DockerfileException(0, $"security \"{security}\" is not valid");
        }
        var mounts = flags.GetList("mount").Select(RunMountParser.Parse).ToList();
        return new RunInstruction(node.Line, node.Original, CommandLine(node.Args, node.Json), mounts, network, security, node.Heredocs);
    }

    private static CommandLine FlaglessCommand(SyntaxNode node)
    {
        Flags(node);
        return CommandLine(node.Args, node.Json);
    }

    /// <summary>The exec form's strings, or the shell form's text as one argument.</summary>
    internal static CommandLine CommandLine(IReadOnlyList<string> args, bool json) =>
        new(json ? args : args.Count == 0 ? [] : [string.Join(' ', args)], !json);

    private static ShellInstruction Shell(SyntaxNode node)
    {
        Flags(node);
        if (node.Args.Count == 0)
        {
            throw AtLeastOne("SHELL");
        }
        if (!node.Json)
        {
            throw new DockerfileException(0, "SHELL requires the arguments to be in JSON form");
        }
        return new ShellInstruction(node.Line, node.Original, node.Args);
    }

    private static List<KeyValue> KeyValues(SyntaxNode node, string keyword)
    {
        Flags(node);
        if (node.Args.Count == 0)
        {
            throw AtLeastOne(keyword);
        }
        var pairs = new List<KeyValue>();
        for (var i = 0; i < node.Args.Count; i += 2)
        {
            if (node.Args[i].Length == 0)
            {
                throw new DockerfileException(0, $"{keyword} names can not be blank");
            }
            pairs.Add(new KeyValue(node.Args[i], node.Args[i + 1]));
        }
        return pairs;
    }

    private static string ExactlyOne(SyntaxNode node, string keyword, bool parseFlags)
    {
        if (node.Args.Count != 1)
        {
            throw new DockerfileException(0, $"{keyword} requires exactly one argument");
        }
        if (parseFlags)
        {
            Flags(node);
        }
        return node.Args[0];
    }

    private static ExposeInstruction Expose(SyntaxNode node)
    {
        if (node.Args.Count == 0)
        {
            throw AtLeastOne("EXPOSE");
        }
        Flags(node);
        return new ExposeInstruction(node.Line, node.Original, [.. node.Args.Order(StringComparer.Ordinal)]);
    }

    private static VolumeInstruction Volume(SyntaxNode node)
    {
        if (node.Args.Count == 0)
        {
            throw AtLeastOne("VOLUME");
        }
        Flags(node);
        var paths = node.Args.Select(p => p.Trim()).ToList();
        if (paths.Any(p => p.Length == 0))
        {
            throw new DockerfileException(0, "VOLUME specified can not be an empty string");
        }
        return new VolumeInstruction(node.Line, node.Original, paths);
    }

    /// <summary>BuildKit reads no flags for ARG: they are ignored, not refused.</summary>
    private static ArgInstruction Arg(SyntaxNode node)
    {
        if (node.Args.Count == 0)
        {
            throw AtLeastOne("ARG");
        }
        var arguments = new List<ArgDefinition>();
        foreach (var arg in node.Args)
        {
            var equals = arg.IndexOf('=');
            if (equals == 0)
            {
                throw new DockerfileException(0, "ARG names can not be blank");
            }
            arguments.Add(equals < 0 ? new ArgDefinition(arg, null) : new ArgDefinition(arg[..equals], arg[(equals + 1)..]));
        }
        return new ArgInstruction(node.Line, node.Original, arguments);
    }

    private static OnbuildInstruction Onbuild(SyntaxNode node)
    {
        if (node.Trigger is not { } trigger)
        {
            throw AtLeastOne("ONBUILD");
        }
        Flags(node);
        var keyword = trigger.Keyword.Trim().ToUpperInvariant();
        switch (keyword)
        {
            case "ONBUILD":
                throw new DockerfileException(0, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER" or "FROM":
                throw new DockerfileException(0, $"{keyword} isn't allowed as an ONBUILD trigger");
        }
        var expression = OnbuildPrefix().Replace(node.Original, "");
        foreach (var heredoc in node.Heredocs)
        {
            expression += "\n" + heredoc.Content + heredoc.Name;
        }
        return new OnbuildInstruction(node.Line, node.Original, expression);
    }

    internal static DockerfileException AtLeastOne(string keyword) => new(0, $"{keyword} requires at least one argument");

    [GeneratedRegex("^[a-z][a-z0-9_.-]*$")]
    private static partial Regex StageName();

    [GeneratedRegex(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase)]
    private static partial Regex OnbuildPrefix();
}
