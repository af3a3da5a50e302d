namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Docker's container list: running ones (all with <paramref name="all"/>, a <c>status</c> filter or a
    /// <paramref name="limit"/>), newest first, after the filters (<see cref="ContainerListFilter"/>); other namespaces' are left out (<see cref="ContainerNamespace"/>).
    /// </summary>
    /// <exception cref="EngineException">InvalidArgument for a bad filter; NotFound when <c>before</c>/<c>since</c> names no container.</exception>
    public async Task<IReadOnlyList<Container>> ListAsync(
        bool all, int? limit, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, CancellationToken cancellationToken = default)
    {
        var filter = await ContainerListFilter.CreateAsync(filters, Get, _images, cancellationToken);
        return await filter.ApplyAsync(_byId.Values.Where(ContainerNamespace.IsDockers).OrderByDescending(c => c.Created), all, limit, _images, cancellationToken);
    }
}
