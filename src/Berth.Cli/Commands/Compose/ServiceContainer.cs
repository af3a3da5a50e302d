using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// The one container of a service that exec, attach and cp act on, found as compose v2 finds it
/// (<c>getSpecifiedContainer</c>), and the plain CLI command that then does the work on it.
/// </summary>
internal static class ServiceContainer
{
    /// <param name="index">The replica (<c>--index</c>); 0 for the lowest-numbered one, one-off containers last.</param>
    /// <param name="all">Stopped containers count too.</param>
    public static async Task<ContainerSummary> FindAsync(CliContext context, string project, string service, int index, bool oneoff, bool all,
        CancellationToken cancellationToken)
    {
        var filters = new Filters()
            .Add("label", $"{ComposeLabels.Project}={project}")
            .Add("label", $"{ComposeLabels.Service}={service}");
        if (!oneoff)
            filters.Add("label", $"{ComposeLabels.Oneoff}=False");
        if (index > 0)
            filters.Add("label", $"{ComposeLabels.ContainerNumber}={index}");
        var containers = await context.Client.ContainerListAsync(new ContainerListOptions { All = all, Filters = filters }, cancellationToken).ConfigureAwait(false);
        return containers.OrderBy(c => c.IsOneoff()).ThenBy(c => c.Number()).FirstOrDefault()
            ?? throw new StatusException(1, index > 0 ? $"service \"{service}\" is not running container #{index}" : $"service \"{service}\" is not running");
    }

    /// <summary>Runs <paramref name="command"/> (<c>berth exec</c>, <c>attach</c>, <c>cp</c>) with <paramref name="args"/> as its command line.</summary>
    public static Task<int> RunAsync(CliContext context, CliCommand command, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var flags = new FlagSet { Interspersed = false };
        command.Configure(flags);
        return command.RunAsync(context, flags.Parse(args.ToList()), cancellationToken);
    }
}
