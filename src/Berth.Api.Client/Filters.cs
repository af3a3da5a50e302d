using System.Text;
using System.Text.Json;

namespace Berth.Api.Client;

/// <summary>
/// The <c>filters</c> query parameter: each key maps to a set of values, encoded as Go's client does,
/// <c>{"label":{"a=b":true}}</c>. Built from <c>--filter key=value</c> flags.
/// </summary>
public sealed class Filters
{
    private readonly SortedDictionary<string, SortedSet<string>> _values = new(StringComparer.Ordinal);

    public bool IsEmpty => _values.Count == 0;

    public IEnumerable<string> Keys => _values.Keys;

    public Filters Add(string key, string value)
    {
        if (!_values.TryGetValue(key, out var set))
            _values[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(value);
        return this;
    }

    public IReadOnlyCollection<string> Get(string key) => _values.TryGetValue(key, out var set) ? set : [];

    /// <summary>Parses one <c>--filter</c> argument; docker's text on failure.</summary>
    /// <exception cref="FormatException"><c>bad format of filter (expected name=value)</c>.</exception>
    public Filters AddArgument(string argument)
    {
        var eq = argument.IndexOf('=');
        if (eq <= 0)
            throw new FormatException("bad format of filter (expected name=value)");
        return Add(argument[..eq].Trim().ToLowerInvariant(), argument[(eq + 1)..].Trim());
    }

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, set) in _values)
            {
                writer.WriteStartObject(key);
                foreach (var value in set)
                    writer.WriteBoolean(value, true);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
