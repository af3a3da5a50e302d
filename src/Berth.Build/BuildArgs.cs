using Berth.Dockerfile;

namespace Berth.Build;

/// <summary>
/// The build arguments of one build, with Docker's scoping: the ARGs before the first FROM are seen only by FROM lines
/// (and by a stage that declares them again without a value); each stage sees what it declares from its ARG on; a
/// value given with the build wins over a default; the proxy variables need no declaration and stay out of the image's
/// history. <see cref="Unconsumed"/> names what was given and never declared (Docker's warning).
/// </summary>
public sealed class BuildArgs(IReadOnlyDictionary<string, string?> given)
{
    /// <summary>Docker's predefined args: usable without an ARG, never recorded in the build cache or history.</summary>
    public static readonly IReadOnlySet<string> Predefined = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly Dictionary<string, string> _global = new(StringComparer.Ordinal);
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    /// <summary>The variables of the global scope (for FROM): the platform args, then the meta ARGs.</summary>
    public IReadOnlyDictionary<string, string> Global => _global;

    /// <summary>Declares the ARGs before the first FROM; <paramref name="expand"/> expands a default with what is declared so far.</summary>
    public void DeclareGlobal(ArgInstruction arg, Func<string, IReadOnlyDictionary<string, string>, string> expand, IReadOnlyDictionary<string, string> platform)
    {
        foreach (var (key, value) in platform) _global.TryAdd(key, value);
        foreach (var definition in arg.Arguments)
        {
            var value = Given(definition.Name) ?? (definition.Default is { } d ? expand(d, _global) : null);
            if (value is not null) _global[definition.Name] = value;
            else _global.Remove(definition.Name);
        }
    }

    /// <summary>A stage's scope: the predefined args given with the build, nothing declared yet.</summary>
    public Scope NewStage()
    {
        var scope = new Scope(this);
        foreach (var name in Predefined)
            if (Given(name) is { } value) scope.Values[name] = value;
        return scope;
    }

    /// <summary>Names given with the build that no ARG declared, sorted (Docker's "were not consumed" warning).</summary>
    public IReadOnlyList<string> Unconsumed =>
        [.. given.Keys.Where(k => !_consumed.Contains(k) && !Predefined.Contains(k)).Order(StringComparer.Ordinal)];

    private string? Given(string name)
    {
        if (!given.TryGetValue(name, out var value)) return null;
        _consumed.Add(name);
        return value;
    }

    /// <summary>What one stage has declared, in declaration order.</summary>
    public sealed class Scope(BuildArgs owner)
    {
        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// <c>ARG name[=default]</c> in the stage: the given value, else the default (expanded by the caller), else the
        /// global ARG of that name. An arg with no value at all is declared but unset.
        /// </summary>
        public void Declare(ArgDefinition definition)
        {
            var value = owner.Given(definition.Name) ?? definition.Default ?? owner._global.GetValueOrDefault(definition.Name);
            if (value is null) Values.Remove(definition.Name);
            else Values[definition.Name] = value;
        }

        /// <summary>The args a RUN sees that are not set by ENV, sorted; proxies excluded from what the cache records.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> ForRun(IReadOnlyCollection<string> envNames, bool forCache) =>
            [.. Values.Where(v => !envNames.Contains(v.Key) && !(forCache && Predefined.Contains(v.Key))).OrderBy(v => v.Key, StringComparer.Ordinal)];
    }
}
