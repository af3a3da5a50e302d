using Berth.Cli.Commands.Completion;
using Berth.Cli.Commands.Compose;
using Berth.Cli.Commands.Container;
using Berth.Cli.Commands.Context;
using Berth.Cli.Commands.Image;
using Berth.Cli.Commands.Network;
using Berth.Cli.Commands.System;
using Berth.Cli.Commands.Volume;

namespace Berth.Cli.Cli;

/// <summary>A command reachable under one or more paths (<c>ps</c> = <c>container ls</c> = <c>container ps</c>).</summary>
/// <param name="Hidden">Left out of help listings (docker's hidden commands, <c>system dial-stdio</c>).</param>
internal sealed record CommandEntry(string[] Paths, string Short, Func<CliCommand> Create, bool Hidden = false)
{
    /// <summary>
    /// The paths as docker's help lists them: the management command's forms first, the top-level one last
    /// (<c>berth container ls, berth container list, berth container ps, berth ps</c>).
    /// </summary>
    public IEnumerable<string> AliasesInHelpOrder => Paths.Where(p => p.Contains(' ')).Concat(Paths.Where(p => !p.Contains(' ')));
}

/// <summary>A management command (<c>berth container</c>): only subcommands, its own help.</summary>
/// <param name="Hidden">Left out of the root's help and completions (docker's <c>completion</c>).</param>
internal sealed record CommandGroup(string Name, string Short, bool Hidden = false);

/// <summary>Every command and where it lives; management groups as docker has them.</summary>
internal static class CommandRegistry
{
    public static readonly CommandGroup[] Groups =
    [
        new("builder", "Manage builds"),
        new("container", "Manage containers"),
        new("context", "Manage contexts"),
        new("image", "Manage images"),
        new("network", "Manage networks"),
        new("system", "Manage Berth"),
        new("volume", "Manage volumes"),
        new("completion", "Generate the autocompletion script for the specified shell", Hidden: true),
    ];

    /// <summary>docker's "Common Commands", in its order; the root help lists them apart.</summary>
    public static readonly string[] CommonCommands = ["run", "exec", "ps", "build", "pull", "push", "images", "login", "logout", "search", "version", "info"];

    public static readonly CommandEntry[] Entries =
    [
        new(["run", "container run"], "Create and run a new container from an image", () => new RunCommand()),
        new(["exec", "container exec"], "Execute a command in a running container", () => new ExecCommand()),
        new(["ps", "container ls", "container list", "container ps"], "List containers", () => new PsCommand()),
        new(["images", "image ls", "image list"], "List images", () => new ImagesCommand()),
        new(["build", "image build", "builder build"], "Build an image from a Dockerfile", () => new BuildCommand()),
        new(["pull", "image pull"], "Download an image from a registry", () => new PullCommand()),
        new(["push", "image push"], "Upload an image to a registry", () => new PushCommand()),
        new(["login"], "Authenticate to a registry", () => new LoginCommand()),
        new(["search"], "Search Docker Hub for images", () => new SearchCommand()),
        new(["logout"], "Log out from a registry", () => new LogoutCommand()),
        new(["info", "system info"], "Display system-wide information", () => new InfoCommand()),
        new(["version"], "Show the Berth version information", () => new VersionCommand()),
        new(["attach", "container attach"], "Attach local standard input, output, and error streams to a running container", () => new AttachCommand()),
        new(["create", "container create"], "Create a new container", () => new CreateCommand()),
        new(["events", "system events"], "Get real time events from the server", () => new EventsCommand()),
        new(["history", "image history"], "Show the history of an image", () => new HistoryCommand()),
        new(["import", "image import"], "Import the contents from a tarball to create a filesystem image", () => new ImportCommand()),
        new(["inspect"], "Return low-level information on Berth objects", () => new InspectCommand(null)),
        new(["container inspect"], "Display detailed information on one or more containers", () => new InspectCommand("container")),
        new(["image inspect"], "Display detailed information on one or more images", () => new InspectCommand("image")),
        new(["kill", "container kill"], "Kill one or more running containers", () => new KillCommand()),
        new(["load", "image load"], "Load an image from a tar archive or STDIN", () => new LoadCommand()),
        new(["logs", "container logs"], "Fetch the logs of a container", () => new LogsCommand()),
        new(["pause", "container pause"], "Pause all processes within one or more containers", () => new PauseCommand()),
        new(["rename", "container rename"], "Rename a container", () => new RenameCommand()),
        new(["restart", "container restart"], "Restart one or more containers", () => new RestartCommand()),
        new(["rm", "container rm", "container remove"], "Remove one or more containers", () => new RmCommand()),
        new(["rmi", "image rm", "image remove"], "Remove one or more images", () => new RmiCommand()),
        new(["save", "image save"], "Save one or more images to a tar archive (streamed to STDOUT by default)", () => new SaveCommand()),
        new(["start", "container start"], "Start one or more stopped containers", () => new StartCommand()),
        new(["stats", "container stats"], "Display a live stream of container(s) resource usage statistics", () => new StatsCommand()),
        new(["stop", "container stop"], "Stop one or more running containers", () => new StopCommand()),
        new(["commit", "container commit"], "Create a new image from a container's changes", () => new CommitCommand()),
        new(["tag", "image tag"], "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", () => new TagCommand()),
        new(["cp", "container cp"], "Copy files/folders between a container and the local filesystem", () => new CpCommand()),
        new(["diff", "container diff"], "Inspect changes to files or directories on a container's filesystem", () => new DiffCommand()),
        new(["export", "container export"], "Export a container's filesystem as a tar archive", () => new ExportCommand()),
        new(["top", "container top"], "Display the running processes of a container", () => new TopCommand()),
        new(["unpause", "container unpause"], "Unpause all processes within one or more containers", () => new UnpauseCommand()),
        new(["wait", "container wait"], "Block until one or more containers stop, then print their exit codes", () => new WaitCommand()),
        new(["port", "container port"], "List port mappings or a specific mapping for the container", () => new PortCommand()),
        new(["update", "container update"], "Update configuration of one or more containers", () => new UpdateCommand()),
        new(["container prune"], "Remove all stopped containers", () => new ContainerPruneCommand()),
        new(["image prune"], "Remove unused images", () => new ImagePruneCommand()),
        new(["builder prune"], "Remove build cache", () => new BuilderPruneCommand()),
        new(["system df"], "Show berth disk usage", () => new DiskUsageCommand()),
        new(["system prune"], "Remove unused data", () => new SystemPruneCommand()),
        new(["system dial-stdio"], "Proxy the stdio stream to the daemon connection. Should not be invoked manually.", () => new DialStdioCommand(), Hidden: true),
        new(["network connect"], "Connect a container to a network", () => new NetworkConnectCommand()),
        new(["network create"], "Create a network", () => new NetworkCreateCommand()),
        new(["network disconnect"], "Disconnect a container from a network", () => new NetworkDisconnectCommand()),
        new(["network inspect"], "Display detailed information on one or more networks", () => new NetworkInspectCommand()),
        new(["network ls", "network list"], "List networks", () => new NetworkLsCommand()),
        new(["network prune"], "Remove all unused networks", () => new NetworkPruneCommand()),
        new(["network rm", "network remove"], "Remove one or more networks", () => new NetworkRmCommand()),
        new(["context create"], "Create a context", () => new ContextCreateCommand()),
        new(["context inspect"], "Display detailed information on one or more contexts", () => new ContextInspectCommand()),
        new(["context ls", "context list"], "List contexts", () => new ContextLsCommand()),
        new(["context rm", "context remove"], "Remove one or more contexts", () => new ContextRmCommand()),
        new(["context show"], "Print the name of the current context", () => new ContextShowCommand()),
        new(["context use"], "Set the current docker context", () => new ContextUseCommand()),
        new(["volume create"], "Create a volume", () => new VolumeCreateCommand()),
        new(["volume inspect"], "Display detailed information on one or more volumes", () => new VolumeInspectCommand()),
        new(["volume ls", "volume list"], "List volumes", () => new VolumeLsCommand()),
        new(["volume prune"], "Remove unused local volumes", () => new VolumePruneCommand()),
        new(["volume rm", "volume remove"], "Remove one or more volumes", () => new VolumeRmCommand()),
        new(["compose"], "Define and run multi-container applications with Berth", () => new ComposeCommand()),
        new(["completion bash"], "Generate the autocompletion script for bash", () => new CompletionCommand(Shell.Bash)),
        new(["completion fish"], "Generate the autocompletion script for fish", () => new CompletionCommand(Shell.Fish)),
        new(["completion zsh"], "Generate the autocompletion script for zsh", () => new CompletionCommand(Shell.Zsh)),
    ];

    /// <summary>
    /// The entry named by the leading words of <paramref name="args"/> and how many words it took; a group name
    /// without a known subcommand returns no entry and the group (its help, or its "unknown command").
    /// </summary>
    public static (CommandEntry? Entry, int Consumed, CommandGroup? Group) Find(IReadOnlyList<string> args)
    {
        if (Groups.FirstOrDefault(g => g.Name == args[0]) is { } group)
        {
            if (args.Count < 2 || args[1].StartsWith('-'))
                return (null, 1, group);
            var path = args[0] + " " + args[1];
            var entry = Entries.FirstOrDefault(e => e.Paths.Contains(path));
            return entry is null ? (null, 1, group) : (entry, 2, null);
        }
        var top = Entries.FirstOrDefault(e => e.Paths.Contains(args[0]));
        return (top, top is null ? 0 : 1, null);
    }

    /// <summary>The subcommands of <paramref name="group"/> by name, each with its entry, sorted as cobra sorts them.</summary>
    public static IEnumerable<(string Name, CommandEntry Entry)> SubcommandsOf(CommandGroup group) =>
        Entries.Where(e => !e.Hidden).Select(e => (Path: e.Paths.FirstOrDefault(p => p.StartsWith(group.Name + " ", StringComparison.Ordinal)), Entry: e))
            .Where(s => s.Path is not null)
            .Select(s => (s.Path![(group.Name.Length + 1)..], s.Entry))
            .OrderBy(s => s.Item1, StringComparer.Ordinal);
}
