using System.Text.Json;
using Berth.Api.Client;
using Berth.Api.Models;
using Berth.Api.Models.Streams;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Image;

/// <summary>
/// <c>berth build [OPTIONS] PATH | URL | -</c>: packs the context (a directory with its <c>.dockerignore</c>, or a tar or a
/// Dockerfile on stdin) or names it (a git or http(s) URL, which the daemon fetches), sends it to <c>POST /build</c> and prints the build's output as it comes, as docker's
/// legacy-builder client does; <c>-q</c> prints only the image ID, <c>--iidfile</c> writes it.
/// </summary>
internal sealed class BuildCommand : CliCommand
{
    private readonly BuildOptions _options = new();

    public override string Name => "build";
    public override string Usage => "[OPTIONS] PATH | URL | -";
    public override string Short => "Build an image from a Dockerfile";
    public override ArgsRule Args => ArgsRule.Exactly(1);

    public override void Configure(FlagSet flags) => _options.Configure(flags);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var fromStdin = args[0] == "-";
        if (fromStdin && _options.File == "-")
            throw new StatusException(1, "invalid argument: can't use stdin for both build context and dockerfile");
        // No stale ID if this build fails.
        if (_options.ImageIdFile.Length > 0 && File.Exists(_options.ImageIdFile))
            File.Delete(_options.ImageIdFile);
        var remote = !fromStdin && IsRemote(args[0]) ? args[0] : null;
        if (remote is not null && _options.File == "-")
            throw new StatusException(1, "unable to prepare context: a Dockerfile from stdin cannot be used with a remote context");
        var buildContext = fromStdin ? await StdinContextAsync(context, cancellationToken).ConfigureAwait(false)
            : remote is not null ? BuildContext.Remote(_options.File is { Length: > 0 } file ? file : null)
            : await DirectoryContextAsync(context, args[0], cancellationToken).ConfigureAwait(false);
        // Quiet: the progress and the output wait in buffers, shown only if the build fails.
        var progress = _options.Quiet ? new StringWriter() : context.Out;
        var output = _options.Quiet ? new StringWriter() : context.Out;
        if (remote is null)
            buildContext.Sent = size => progress.Write($"Sending build context to Docker daemon {HumanUnits.Size(size),8}\r\r\n");
        var credentials = await (await context.GetCredentialsAsync(cancellationToken).ConfigureAwait(false)).GetAllAsync(cancellationToken).ConfigureAwait(false);
        var options = _options.ToApiOptions(buildContext.DockerfileName, RegistryAuth.EncodeConfig(credentials), context.Environment) with { RemoteContext = remote };
        buildContext.Compress = _options.Compress;
        List<JsonMessage> auxes;
        try
        {
            auxes = await JsonMessageDisplay.WriteAsync(context.Client.ImageBuildAsync(buildContext, options, cancellationToken), output,
                !_options.Quiet && context.Console.Terminal.IsStdoutTerminal, cancellationToken, context.ProgressWidth, context.Clock).ConfigureAwait(false);
        }
        catch (JsonStreamException e)
        {
            if (_options.Quiet)
                await context.Err.WriteAsync($"{progress}{output}").ConfigureAwait(false);
            throw new StatusException(e.Code is > 0 ? e.Code.Value : 1, e.Message);
        }
        var imageId = _options.Quiet ? output.ToString()! : ImageId(auxes);
        if (_options.Quiet)
            await context.Out.WriteAsync(imageId).ConfigureAwait(false);
        if (_options.ImageIdFile.Length > 0)
        {
            if (imageId.Length == 0)
                throw new StatusException(1, $"Server did not provide an image ID. Cannot write {_options.ImageIdFile}");
            await File.WriteAllTextAsync(_options.ImageIdFile, imageId, cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    private async Task<BuildContext> StdinContextAsync(CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await BuildContext.FromStreamAsync(context.Console.StdinStream, _options.File, cancellationToken).ConfigureAwait(false);
        }
        catch (BuildContextException e)
        {
            throw new StatusException(1, "unable to prepare context from STDIN: " + e.Message);
        }
    }

    /// <summary>
    /// A directory context: <c>-f</c> is relative to the working directory; a Dockerfile outside the directory, or
    /// <c>-f -</c> (stdin), is sent apart from the walked files.
    /// </summary>
    private async Task<BuildContext> DirectoryContextAsync(CliContext context, string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(path);
        if (!Directory.Exists(directory))
            throw new StatusException(1, File.Exists(directory)
                ? $"unable to prepare context: context must be a directory: {directory}"
                : $"unable to prepare context: path \"{path}\" not found");
        try
        {
            if (_options.File == "-")
            {
                using var stdin = new MemoryStream();
                await context.Console.StdinStream.CopyToAsync(stdin, cancellationToken).ConfigureAwait(false);
                return BuildContext.FromDirectory(directory, BuildContext.DefaultDockerfileName, stdin.ToArray());
            }
            var dockerfile = BuildContext.ResolveDockerfile(directory, _options.File);
            return dockerfile.StartsWith("../", StringComparison.Ordinal)
                ? BuildContext.FromDirectory(directory, dockerfile, await File.ReadAllBytesAsync(Path.GetFullPath(_options.File), cancellationToken).ConfigureAwait(false))
                : BuildContext.FromDirectory(directory, dockerfile);
        }
        catch (BuildContextException e)
        {
            throw new StatusException(1, e.Message.StartsWith("checking context", StringComparison.Ordinal) ? e.Message : "unable to prepare context: " + e.Message);
        }
    }

    /// <summary>
    /// A context the daemon fetches, as the docker CLI tells them apart: an http(s), <c>git://</c> or <c>git@</c> address,
    /// or <c>github.com/…</c> when no such local directory exists.
    /// </summary>
    private static bool IsRemote(string path) =>
        !Directory.Exists(path) && (path.StartsWith("http://", StringComparison.Ordinal) || path.StartsWith("https://", StringComparison.Ordinal)
            || path.StartsWith("git://", StringComparison.Ordinal) || path.StartsWith("git@", StringComparison.Ordinal)
            || path.StartsWith("github.com/", StringComparison.Ordinal));

    /// <summary>The <c>aux</c> <c>{"ID":…}</c> the daemon sends once the image is built; empty when none came.</summary>
    private static string ImageId(IEnumerable<JsonMessage> auxes)
    {
        var id = "";
        foreach (var aux in auxes)
        {
            if (aux.Aux is { ValueKind: JsonValueKind.Object } value && value.TryGetProperty("ID", out var idValue) && idValue.ValueKind == JsonValueKind.String)
                id = idValue.GetString()!;
        }
        return id;
    }
}
