using System.Text;

namespace Berth.Api.Client;

/// <summary>A query string in the order parameters are added, values percent-encoded.</summary>
internal sealed class Query
{
    private readonly StringBuilder _text = new();

    public Query Add(string name, string? value)
    {
        if (value is null)
            return this;
        _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    /// <summary>Adds <c>name=1</c> only when set, as the Go client does.</summary>
    public Query Flag(string name, bool value) => value ? Add(name, "1") : this;

    public Query Filters(Filters? filters) => filters is null || filters.IsEmpty ? this : Add("filters", filters.ToJson());

    public override string ToString() => _text.ToString();
}
