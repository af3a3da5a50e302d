using System.Text;
using System.Text.Json;
using Berth.Api.Client;

namespace Berth.Cli.Commands.System;

/// <summary>
/// Each prune as docker's <c>RunPrune</c> functions report it: the space reclaimed and a "Deleted …:" block (empty
/// when nothing went); <c>container prune</c>, <c>image prune</c> and <c>system prune</c> print the same blocks.
/// </summary>
internal static class PruneReports
{
    public static async Task<(long Space, string Output)> ContainersAsync(IBerthClient client, Filters filters, CancellationToken cancellationToken)
    {
        var report = await client.ContainerPruneAsync(filters, cancellationToken).ConfigureAwait(false);
        return report.ContainersDeleted.Count == 0 ? (0, "") : ((long)report.SpaceReclaimed, Block("Deleted Containers:", report.ContainersDeleted));
    }

    /// <param name="all">Unused images too, not only dangling ones (docker's <c>dangling=false</c>).</param>
    public static async Task<(long Space, string Output)> ImagesAsync(IBerthClient client, Filters filters, bool all, CancellationToken cancellationToken)
    {
        filters.Add("dangling", all ? "false" : "true");
        var report = await client.ImagePruneAsync(filters, cancellationToken).ConfigureAwait(false);
        if (report.ImagesDeleted.Count == 0)
            return (0, "");
        var lines = report.ImagesDeleted.Select(i => i.Untagged is { Length: > 0 } untagged ? "untagged: " + untagged : "deleted: " + i.Deleted);
        return ((long)report.SpaceReclaimed, Block("Deleted Images:", lines));
    }

    public static async Task<(long Space, string Output)> NetworksAsync(IBerthClient client, Filters filters, CancellationToken cancellationToken) =>
        (0, Block("Deleted Networks:", Names(await client.NetworkPruneAsync(filters, cancellationToken).ConfigureAwait(false), "NetworksDeleted")));

    public static async Task<(long Space, string Output)> VolumesAsync(IBerthClient client, Filters filters, CancellationToken cancellationToken)
    {
        var report = await client.VolumePruneAsync(filters, cancellationToken).ConfigureAwait(false);
        return (Space(report), Block("Deleted Volumes:", Names(report, "VolumesDeleted")));
    }

    public static async Task<(long Space, string Output)> BuildCacheAsync(IBerthClient client, Filters filters, bool all, CancellationToken cancellationToken)
    {
        var report = await client.BuildCachePruneAsync(all, filters, cancellationToken).ConfigureAwait(false);
        return (Space(report), Block("Deleted build cache objects:", Names(report, "CachesDeleted")));
    }

    private static string Block(string title, IEnumerable<string?> items)
    {
        var list = items.Where(i => !string.IsNullOrEmpty(i)).ToList();
        if (list.Count == 0)
            return "";
        var text = new StringBuilder(title).Append('\n');
        foreach (var item in list)
            text.Append(item).Append('\n');
        return text.ToString();
    }

    private static IEnumerable<string?> Names(JsonElement report, string key) =>
        report.ValueKind == JsonValueKind.Object && report.TryGetProperty(key, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null)
            : [];

    private static long Space(JsonElement report) =>
        report.ValueKind == JsonValueKind.Object && report.TryGetProperty("SpaceReclaimed", out var space) && space.TryGetInt64(out var n) ? n : 0;
}
