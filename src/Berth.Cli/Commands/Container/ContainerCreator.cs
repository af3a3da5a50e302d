using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Container;

/// <summary>
/// Creates a container as docker's <c>createContainer</c> does: a 404 for a missing image prints
/// <c>Unable to find image 'x:latest' locally</c>, pulls (progress on stderr) and creates again; with
/// <c>--use-api-socket</c> the daemon's socket and the credentials go in (<see cref="ApiSocket"/>).
/// </summary>
internal static class ContainerCreator
{
    public sealed record Options(string? Name, string? Platform, string Pull, bool Quiet, string ContainerIdFile, bool UseApiSocket);

    public static async Task<string> CreateAsync(CliContext context, ContainerCreateRequest request, Options options, CancellationToken cancellationToken)
    {
        if (options.ContainerIdFile.Length > 0 && File.Exists(options.ContainerIdFile))
            throw new InvalidOperationException($"container ID file found, make sure the other container isn't running or delete {options.ContainerIdFile}");
        var reference = ImageReference.TryParse(request.Image);
        var credentials = options.UseApiSocket ? await ApiSocket.PrepareAsync(context, request, cancellationToken).ConfigureAwait(false) : null;
        if (options.Pull == "always" && reference is not null)
            await PullAsync(context, reference, options, cancellationToken).ConfigureAwait(false);
        ContainerCreateResponse response;
        try
        {
            response = await context.Client.ContainerCreateAsync(request, options.Name, options.Platform, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound && reference is not null && options.Pull == "missing")
        {
            if (!options.Quiet)
                await context.Err.WriteLineAsync($"Unable to find image '{reference.FamiliarStringWithDefaultTag}' locally").ConfigureAwait(false);
            await PullAsync(context, reference, options, cancellationToken).ConfigureAwait(false);
            response = await context.Client.ContainerCreateAsync(request, options.Name, options.Platform, cancellationToken).ConfigureAwait(false);
        }
        foreach (var warning in response.Warnings)
            await context.Err.WriteLineAsync($"WARNING: {warning}").ConfigureAwait(false);
        if (options.ContainerIdFile.Length > 0)
            await File.WriteAllTextAsync(options.ContainerIdFile, response.Id, cancellationToken).ConfigureAwait(false);
        if (credentials is not null)
            await ApiSocket.InjectAsync(context.Client, response.Id, credentials, cancellationToken).ConfigureAwait(false);
        return response.Id;
    }

    private static async Task PullAsync(CliContext context, ImageReference reference, Options options, CancellationToken cancellationToken)
    {
        var messages = context.Client.ImagePullAsync(new ImagePullOptions
        {
            FromImage = reference.FamiliarName,
            Tag = reference.PullTag,
            Platform = options.Platform,
            RegistryAuth = await context.RegistryAuthAsync(reference, cancellationToken).ConfigureAwait(false),
        }, cancellationToken);
        var output = options.Quiet ? TextWriter.Null : context.Err;
        await JsonMessageDisplay.WriteAsync(messages, output, !options.Quiet && context.Console.Terminal.IsStderrTerminal, cancellationToken,
            context.ProgressWidth, context.Clock).ConfigureAwait(false);
    }

    /// <summary>docker's exit status for a container that could not be created or started: 125, or 126/127 for exec failures.</summary>
    public static int StartFailureStatus(string message)
    {
        if (message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal))
            return 127;
        if (message.Contains("permission denied", StringComparison.Ordinal) || message.Contains("is a directory", StringComparison.Ordinal))
            return 126;
        return 125;
    }

    /// <summary>docker's <c>withHelp</c>: <c>berth: msg</c>, a blank line, and where to read about the command.</summary>
    public static void ReportError(CliContext context, string commandName, string message) =>
        context.Err.WriteLine($"berth: {message}\n\nRun 'berth {commandName} --help' for more information");
}
