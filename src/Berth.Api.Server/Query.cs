using System.Globalization;
using System.Text.Json;
using Berth.Engine;
using Microsoft.AspNetCore.Http;

namespace Berth.Api.Server;

/// <summary>Docker's query conventions: booleans as moby's BoolValue, filters in both JSON shapes, Unix timestamps.</summary>
public static class Query
{
    /// <summary><c>""</c>, <c>0</c>, <c>no</c>, <c>false</c>, <c>none</c> (any case) are false; anything else is true.</summary>
    public static bool Bool(HttpRequest request, string name, bool absent = false)
    {
        return request.Query.TryGetValue(name, out var values) ? BoolValue(values.ToString()) : absent;
    }

    public static bool BoolValue(string value) => value.Trim().ToLowerInvariant() is not ("" or "0" or "no" or "false" or "none");

    public static int? Int(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0) return null;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n : throw new EngineException(ErrorKind.InvalidArgument, $"invalid value for {name}: {value}");
    }

    public static string? String(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && v.ToString().Length > 0 ? v.ToString() : null;

    /// <summary>
    /// <c>filters</c>: <c>{"label":{"k=v":true}}</c> (Go, Docker.DotNet) or <c>{"label":["k=v"]}</c> (docker-py).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Filters(HttpRequest request)
    {
        var text = request.Query["filters"].ToString();
        var filters = new Dictionary<string, IReadOnlyList<string>>();
        if (text.Length == 0) return filters;
        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                filters[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Object => [.. property.Value.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.False).Select(p => p.Name)],
                    JsonValueKind.Array => [.. property.Value.EnumerateArray().Select(v => v.GetString() ?? "")],
                    JsonValueKind.String => [property.Value.GetString()!],
                    _ => throw new JsonException(),
                };
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new EngineException(ErrorKind.InvalidArgument, $"invalid filter: {text}");
        }
        return filters;
    }

    /// <summary>Docker's timestamps: Unix seconds with an optional fraction (<c>1700000000.5</c>), or RFC 3339. 0 or empty is null.</summary>
    public static DateTime? Time(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        if (value.Length == 0 || value == "0") return null;
        if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            return t;
        throw new EngineException(ErrorKind.InvalidArgument, $"invalid value for {name}: {value}");
    }
}
