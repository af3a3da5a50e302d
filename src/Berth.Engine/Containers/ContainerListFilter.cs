using System.Globalization;

namespace Berth.Engine.Containers;

/// <summary>
/// Docker's <c>docker ps</c> filters, checked and resolved once per list (moby <c>daemon/list.go</c>): every key must
/// match; the values of one key are alternatives, except <c>label</c>, whose values must all match. A bad key or value
/// is refused with moby's message before anything is listed.
/// </summary>
internal sealed class ContainerListFilter
{
    private static readonly string[] Keys =
        ["ancestor", "before", "exited", "id", "isolation", "label", "name", "status", "health", "since", "volume", "network", "is-task", "publish", "expose"];

    private static readonly string[] States = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];
    private static readonly string[] Healths = ["none", "starting", "healthy", "unhealthy"];

    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _filters;
    private readonly List<int> _exitCodes = [];
    private readonly bool? _isTask;
    private string? _beforeId;
    private string? _sinceId;
    private HashSet<string>? _ancestors;
    private readonly HashSet<string> _publish = [];
    private readonly HashSet<string> _expose = [];

    /// <summary>The exposed ports of each image (by id) a port filter looked at; read on demand, once per list.</summary>
    private readonly Dictionary<string, IReadOnlyList<string>> _imageExposed = [];

    private ContainerListFilter(IReadOnlyDictionary<string, IReadOnlyList<string>> filters)
    {
        _filters = filters;
        FilterArgs.Validate(filters, Keys);
        foreach (var value in Values("exited"))
            _exitCodes.Add(int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
                ? code
                : throw Invalid($"invalid filter 'exited={value}': strconv.Atoi: parsing \"{value}\": invalid syntax"));
        foreach (var value in Values("status"))
            if (!States.Contains(value))
                throw Invalid($"invalid filter 'status={value}': invalid value for state ({value}): must be one of {string.Join(", ", States)}");
        _isTask = FilterArgs.Bool(filters, "is-task");
        foreach (var value in Values("health"))
            if (!Healths.Contains(value))
                throw Invalid($"invalid filter 'health={value}': invalid value for health ({value}): must be one of {string.Join(", ", Healths)}");
    }

    /// <summary>
    /// Checks <paramref name="filters"/> and resolves what names other objects: <c>before</c>/<c>since</c> through
    /// <paramref name="lookup"/> (its NotFound, <c>No such container: x</c>, goes to the caller), <c>ancestor</c>
    /// through <paramref name="images"/> (an unknown image matches nothing, as in Docker).
    /// </summary>
    public static async Task<ContainerListFilter> CreateAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, Func<string, Container> lookup, IContainerImages images,
        CancellationToken cancellationToken)
    {
        var filter = new ContainerListFilter(filters);
        // Of several values, moby keeps the last one it walks.
        if (filter.Values("before") is [.., var before]) filter._beforeId = lookup(before).Id;
        if (filter.Values("since") is [.., var since]) filter._sinceId = lookup(since).Id;
        if (filters.ContainsKey("ancestor"))
        {
            filter._ancestors = [];
            foreach (var reference in filter.Values("ancestor"))
            {
                try
                {
                    filter._ancestors.Add((await images.ResolveAsync(reference, cancellationToken)).Id);
                }
                catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
                {
                }
            }
        }
        foreach (var value in filter.Values("publish")) AddPorts(filter._publish, "publish", value);
        foreach (var value in filter.Values("expose")) AddPorts(filter._expose, "expose", value);
        return filter;
    }

    /// <summary>
    /// The containers of <paramref name="newestFirst"/> the filters keep. <c>before</c> drops every container down to
    /// the one named (that one too) and <c>since</c> stops at the one named, so both work on the list's order as moby's do.
    /// </summary>
    public async Task<List<Container>> ApplyAsync(
        IEnumerable<Container> newestFirst, bool all, int? limit, IContainerImages images, CancellationToken cancellationToken)
    {
        var showAll = all || limit > 0 || _filters.ContainsKey("status"); // status implies --all; exited does not
        var seenBefore = _beforeId is null;
        var result = new List<Container>();
        foreach (var c in newestFirst)
        {
            if (!seenBefore)
            {
                seenBefore = c.Id == _beforeId;
                continue;
            }
            if (c.Id == _sinceId || (limit > 0 && result.Count == limit)) break;
            if ((showAll || c.State.IsRunning) && Matches(c) && await PortsMatchAsync(c, images, cancellationToken)) result.Add(c);
        }
        return result;
    }

    private bool Matches(Container c)
    {
        if (Values("name") is { Count: > 0 } names && !names.Any(n => FilterArgs.Matches(n, c.Name) || FilterArgs.Matches(n, c.Name.TrimStart('/'))))
            return false;
        if (Values("id") is { Count: > 0 } ids && !ids.Any(i => FilterArgs.Matches(i, c.Id))) return false;
        if (_isTask == true) return false; // no container here is a swarm task
        if (Values("label") is { Count: > 0 } labels && !labels.All(l => LabelFilter.Matches(c.Config.Labels, l))) return false;
        if (_exitCodes.Count > 0 && !(!c.State.IsRunning && c.State.StartedAt != default && _exitCodes.Contains(c.State.ExitCode)))
            return false;
        var status = c.State.Status.ToString().ToLowerInvariant();
        if (Values("status") is { Count: > 0 } states && !states.Contains(status)) return false;
        if (Values("health") is { Count: > 0 } healths && !healths.Contains(c.State.Health?.Status ?? "none")) return false;
        if (Values("volume") is { Count: > 0 } volumes && !c.Mounts.Any(m => volumes.Any(v =>
                (m.Name is not "" && FilterArgs.Matches(v, m.Name)) || FilterArgs.Matches(v, m.Destination))))
            return false;
        if (_ancestors is not null && !_ancestors.Contains(c.ImageId)) return false;
        if (_filters.ContainsKey("network") && !Values("network").Any(n => OnNetwork(c, n))) return false;
        return true;
    }

    /// <summary>A network's name, or a prefix of its id (as moby: even the empty one).</summary>
    private static bool OnNetwork(Container c, string value)
    {
        lock (c.Lock)
            return c.Networks.ContainsKey(value) || c.Networks.Values.Any(e => e.NetworkId.StartsWith(value, StringComparison.Ordinal));
    }

    /// <summary>
    /// moby matches the ports <c>docker ps</c> shows: those of a running container, each exposed one (the container's
    /// and its image's) and each published one, <c>publish</c> on the host side and <c>expose</c> on the container side.
    /// </summary>
    private async Task<bool> PortsMatchAsync(Container c, IContainerImages images, CancellationToken cancellationToken)
    {
        if (_publish.Count == 0 && _expose.Count == 0) return true;
        if (!c.State.IsRunning) return false;
        foreach (var port in c.Ports)
        {
            var protocol = port.Protocol.ToLowerInvariant();
            if (_publish.Contains($"{port.HostPort}/{protocol}")) return true;
            if (_expose.Contains(NormalizePort(port.ContainerPort))) return true;
        }
        if (_expose.Count == 0) return false;
        var exposed = c.Config.ExposedPorts.Concat(await ImageExposedAsync(c.ImageId, images, cancellationToken));
        return exposed.Any(p => _expose.Contains(NormalizePort(p)));
    }

    private async Task<IReadOnlyList<string>> ImageExposedAsync(string imageId, IContainerImages images, CancellationToken cancellationToken)
    {
        if (_imageExposed.TryGetValue(imageId, out var known)) return known;
        IReadOnlyList<string> ports;
        try
        {
            ports = [.. (await images.ResolveAsync(imageId, cancellationToken)).Config?.ExposedPorts?.Keys ?? Enumerable.Empty<string>()];
        }
        catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
        {
            ports = []; // the image was removed under the container
        }
        return _imageExposed[imageId] = ports;
    }

    /// <summary>
    /// moby's port filter value: <c>port[/proto]</c> or <c>first-last[/proto]</c>, tcp by default; every port of a
    /// range goes in as <c>port/proto</c>.
    /// </summary>
    private static void AddPorts(HashSet<string> ports, string key, string value)
    {
        if (value.Contains(':')) throw Invalid($"filter for '{key}' should not contain ':': {value}");
        var (first, last, protocol) = ParsePortRange(value) is var (f, l, p, error) && error is null
            ? (f, l, p)
            : throw Invalid($"error while looking up for {key} {value}: {error}");
        for (var port = first; port <= last; port++) ports.Add($"{port}/{protocol}");
    }

    /// <summary>Go's <c>network.ParsePortRange</c>, with its error texts (the error is null on success).</summary>
    internal static (int First, int Last, string Protocol, string? Error) ParsePortRange(string value)
    {
        if (value.Length == 0) return (0, 0, "", "invalid port range: value is empty");
        var slash = value.IndexOf('/');
        var range = slash < 0 ? value : value[..slash];
        var protocol = slash < 0 || slash == value.Length - 1 ? "tcp" : value[(slash + 1)..].ToLowerInvariant();
        var dash = range.IndexOf('-');
        var (start, end) = dash < 0 ? (range, range) : (range[..dash], range[(dash + 1)..]);
        if (PortNumber(start) is not { } first) return (0, 0, "", $"invalid start port '{start}': {PortError(start)}");
        if (dash < 0 || start == end) return (first, first, protocol, null);
        if (PortNumber(end) is not { } last) return (0, 0, "", $"invalid end port '{end}': {PortError(end)}");
        return last < first ? (0, 0, "", $"invalid port range: {value}") : (first, last, protocol, null);
    }

    private static int? PortNumber(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && int.TryParse(text, out var port) && port <= ushort.MaxValue ? port : null;

    private static string PortError(string text) =>
        text.Length == 0 ? "value is empty" : text.All(char.IsAsciiDigit) ? "value out of range" : "invalid syntax";

    /// <summary>An exposed port as the filter keys it; one that does not parse matches nothing.</summary>
    private static string NormalizePort(string port) =>
        ParsePortRange(port) is (var first, _, var protocol, null) ? $"{first}/{protocol}" : "";

    private IReadOnlyList<string> Values(string key) => _filters.GetValueOrDefault(key) ?? [];

    private static EngineException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
}
