namespace Berth.Dockerfile;

/// <summary>
/// The <c>--flags</c> of one instruction checked against the flags it declares, with BuildKit's rules and messages:
/// a string flag needs <c>=value</c>, a bool flag takes none or <c>=true|false</c>, a list flag may repeat, any other
/// flag may not; <c>--</c> ends the flags.
/// </summary>
internal sealed class InstructionFlags
{
    private enum Kind { Bool, String, List }

    private readonly Dictionary<string, Kind> _declared = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<string> _args;

    public InstructionFlags(IReadOnlyList<string> args) => _args = args;

    public InstructionFlags Bool(params string[] names) => Declare(Kind.Bool, names);

    public InstructionFlags String(params string[] names) => Declare(Kind.String, names);

    public InstructionFlags List(params string[] names) => Declare(Kind.List, names);

    private InstructionFlags Declare(Kind kind, string[] names)
    {
        foreach (var name in names)
        {
            _declared[name] = kind;
        }
        return this;
    }

    /// <summary>Checks every flag given; throws with Docker's message at the first bad one.</summary>
    public InstructionFlags Parse()
    {
        foreach (var arg in _args)
        {
            if (arg == "--")
            {
                break;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new DockerfileException(0, $"arg should start with -- : {arg}");
            }
            var equals = arg.IndexOf('=');
            var flag = equals < 0 ? arg : arg[..equals];
            var value = equals < 0 ? null : arg[(equals + 1)..];
            var name = flag[2..];
            if (!_declared.TryGetValue(name, out var kind))
            {
                throw new DockerfileException(0, Suggestion.Append($"unknown flag: {flag}", name, _declared.Keys, caseSensitive: true));
            }
            if (_values.ContainsKey(name) && kind != Kind.List)
            {
                throw new DockerfileException(0, $"duplicate flag specified: {flag}");
            }
            var values = _values.TryGetValue(name, out var existing) ? existing : _values[name] = [];
            values.Add(Check(kind, flag, value));
        }
        return this;
    }

    private static string Check(Kind kind, string flag, string? value)
    {
        if (kind != Kind.Bool)
        {
            return value ?? throw new DockerfileException(0, $"missing a value on flag: {flag}");
        }
        if (value == "")
        {
            throw new DockerfileException(0, $"missing a value on flag: {flag}");
        }
        return value?.ToLowerInvariant() switch
        {
            null or "true" => "true",
            "false" => "false",
            _ => throw new DockerfileException(0, $"expecting boolean value for flag {flag}, not: {value}"),
        };
    }

    public string? GetString(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public bool GetBool(string name) => GetString(name) == "true";

    public IReadOnlyList<string> GetList(string name) => _values.TryGetValue(name, out var values) ? values : [];
}
