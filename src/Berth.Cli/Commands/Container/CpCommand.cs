using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// <c>berth cp</c>: files between a container and the local filesystem, with docker's rules for where they land
/// (a directory destination receives the source by its name, a missing one becomes it, <c>src/.</c> copies contents)
/// and <c>-</c> as a tar on stdin or stdout. The daemon resolves container paths; this side only names the tar.
/// </summary>
internal sealed class CpCommand : CliCommand
{
    private bool _followLink, _archive, _quiet;
    private bool? _quietFlag;

    public override string Name => "cp";
    public override string Usage => "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH";
    public override string Short => "Copy files/folders between a container and the local filesystem";
    public override string Long => """
        Copy files/folders between a container and the local filesystem

        Use '-' as the source to read a tar archive from stdin
        and extract it to a directory destination in a container.
        Use '-' as the destination to stream a tar archive of a
        container source to stdout.
        """;
    public override ArgsRule Args => ArgsRule.Exactly(2);

    public override void Configure(FlagSet flags)
    {
        flags.Bool("archive", 'a', "Archive mode (copy all uid/gid information)", v => _archive = v);
        flags.Bool("follow-link", 'L', "Always follow symbol link in SRC_PATH", v => _followLink = v);
        flags.Bool("quiet", 'q', "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached",
            v => _quietFlag = v);
    }

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        if (args[0].Length == 0) throw new StatusException(1, "source can not be empty");
        if (args[1].Length == 0) throw new StatusException(1, "destination can not be empty");
        _quiet = _quietFlag ?? !context.Console.Terminal.IsStdoutTerminal;
        var (sourceContainer, sourcePath) = CopyPaths.Split(args[0]);
        var (destinationContainer, destinationPath) = CopyPaths.Split(args[1]);
        return (sourceContainer, destinationContainer) switch
        {
            ({ } from, null) => FromContainerAsync(context, from, sourcePath, destinationPath, cancellationToken),
            (null, { } to) => ToContainerAsync(context, to, sourcePath, destinationPath, cancellationToken),
            (null, null) => throw new StatusException(1, "must specify at least one container source"),
            _ => throw new StatusException(1, "copying between containers is not supported"),
        };
    }

    private async Task<int> FromContainerAsync(CliContext context, string container, string source, string destination, CancellationToken cancellationToken)
    {
        if (destination != "-") destination = CopyPaths.Absolute(destination);
        string? rebaseName = null;
        if (_followLink)
        {
            var stat = await TryStatAsync(context.Client, container, source, cancellationToken).ConfigureAwait(false);
            if (stat is not null && CopyPaths.IsSymlink(stat.Mode))
                (source, rebaseName) = CopyPaths.RebaseName(source, CopyPaths.JoinLink(source, stat.LinkTarget));
        }
        var (content, sourceStat) = await context.Client.CopyFromContainerAsync(container, source, cancellationToken).ConfigureAwait(false);
        await using var counted = new CountingStream(content);
        if (destination == "-")
        {
            await counted.CopyToAsync(context.Console.StdoutStream, cancellationToken).ConfigureAwait(false);
            await context.Console.StdoutStream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        var sourceBase = CopyPaths.Base(source);
        var target = CopyPaths.LocalDestination(destination, CopyPaths.IsDirectory(sourceStat.Mode));
        await LocalArchive.ExtractAsync(counted, target.Directory, sourceBase, target.Name ?? rebaseName, cancellationToken).ConfigureAwait(false);
        await counted.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false); // the end blocks count, as in docker's figure
        if (!_quiet) await context.Err.WriteLineAsync($"Successfully copied {HumanUnits.Size(counted.Count, 3)} to {destination}").ConfigureAwait(false);
        return 0;
    }

    private async Task<int> ToContainerAsync(CliContext context, string container, string source, string destination, CancellationToken cancellationToken)
    {
        var (path, exists, isDirectory) = await StatDestinationAsync(context.Client, container, destination, cancellationToken).ConfigureAwait(false);
        if (source == "-")
        {
            if (!isDirectory) throw new StatusException(1, $"destination \"{container}:{destination}\" must be a directory");
            await context.Client.CopyToContainerAsync(container, path, context.Console.StdinStream, false, _archive, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        var local = CopyPaths.LocalSource(CopyPaths.Absolute(source), _followLink);
        var (directory, name) = CopyPaths.ContainerDestination(path, exists, isDirectory, local);
        var pipe = new global::System.IO.Pipelines.Pipe();
        var writing = Task.Run(async () =>
        {
            await using var output = pipe.Writer.AsStream();
            await LocalArchive.WriteAsync(local.Path, name, output, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
        await using var counted = new CountingStream(pipe.Reader.AsStream());
        await context.Client.CopyToContainerAsync(container, directory, counted, false, _archive, cancellationToken).ConfigureAwait(false);
        await writing.ConfigureAwait(false);
        if (!_quiet) await context.Err.WriteLineAsync($"Successfully copied {HumanUnits.Size(counted.Count, 3)} to {container}:{path}").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Where a copy into the container goes: a link is followed once, as docker's CLI does; a failed stat means "does not exist".</summary>
    private static async Task<(string Path, bool Exists, bool IsDirectory)> StatDestinationAsync(IBerthClient client, string container, string destination,
        CancellationToken cancellationToken)
    {
        var path = destination;
        var stat = await TryStatAsync(client, container, path, cancellationToken).ConfigureAwait(false);
        if (stat is not null && CopyPaths.IsSymlink(stat.Mode))
        {
            path = CopyPaths.JoinLink(destination, stat.LinkTarget);
            stat = await TryStatAsync(client, container, path, cancellationToken).ConfigureAwait(false);
        }
        if (stat is null) return (path, false, false);
        if (!CopyPaths.IsDirectory(stat.Mode) && !CopyPaths.IsRegular(stat.Mode))
            throw new StatusException(1, $"destination \"{container}:{destination}\" must be a directory or a regular file");
        return (path, true, CopyPaths.IsDirectory(stat.Mode));
    }

    private static async Task<Api.Models.Containers.ContainerPathStat?> TryStatAsync(IBerthClient client, string container, string path,
        CancellationToken cancellationToken)
    {
        try
        {
            return await client.ContainerStatPathAsync(container, path, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound && !e.Message.StartsWith("No such container", StringComparison.Ordinal))
        {
            return null;
        }
    }
}
