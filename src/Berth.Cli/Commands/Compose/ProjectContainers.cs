using System.Globalization;
using Berth.Api.Client;
using Berth.Api.Models.Containers;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.Compose;

/// <summary>The containers a project owns, found by label as every compose tool finds them.</summary>
internal static class ProjectContainers
{
    /// <param name="oneoff">Include <c>compose run</c>'s containers.</param>
    public static async Task<List<ContainerSummary>> ListAsync(IBerthClient client, string project, bool all, bool oneoff,
        CancellationToken cancellationToken)
    {
        var filters = new Filters().Add("label", $"{ComposeLabels.Project}={project}");
        if (!oneoff)
            filters.Add("label", $"{ComposeLabels.Oneoff}=False");
        var containers = await client.ContainerListAsync(new ContainerListOptions { All = all, Filters = filters }, cancellationToken).ConfigureAwait(false);
        return containers.OrderBy(c => c.ServiceName(), StringComparer.Ordinal).ThenBy(c => c.Number()).ToList();
    }

    public static string ServiceName(this ContainerSummary container) => container.Labels.GetValueOrDefault(ComposeLabels.Service, "");

    public static int Number(this ContainerSummary container) =>
        int.TryParse(container.Labels.GetValueOrDefault(ComposeLabels.ContainerNumber), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    public static string Name(this ContainerSummary container) => container.Names.Count > 0 ? Text.StripSlash(container.Names[0]) : container.Id;

    public static bool IsOneoff(this ContainerSummary container) => container.Labels.GetValueOrDefault(ComposeLabels.Oneoff) == "True";

    /// <summary>The name without the project's prefix, as compose prefixes log lines: <c>web-1</c>.</summary>
    public static string ShortName(this ContainerSummary container, string project)
    {
        var name = container.Name();
        return name.StartsWith(project + "-", StringComparison.Ordinal) ? name[(project.Length + 1)..] : name;
    }

    /// <summary>compose v2's container name: <c>project-service-N</c>.</summary>
    public static string DefaultName(string project, string service, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{project}-{service}-{number}");
}
