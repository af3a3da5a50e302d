using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's predefined template functions. <c>and</c> and <c>or</c> are evaluated lazily by the
/// executor; their bodies here only serve a template that passes them around as values.
/// </summary>
internal static class Builtins
{
    public static readonly TemplateFunction[] All =
    [
        new("and", 1, -1, args => args.FirstOrDefault(a => !Values.IsTrue(a), args[^1])) { ShortCircuit = false },
        new("or", 1, -1, args => args.FirstOrDefault(Values.IsTrue, args[^1])) { ShortCircuit = true },
        new("not", 1, 1, args => !Values.IsTrue(args[0])),
        new("len", 1, 1, args => Length(args[0])),
        new("index", 1, -1, args => Index(args[0], args.Skip(1).ToList())),
        new("slice", 1, -1, args => Slice(args[0], args.Skip(1).ToList())),
        new("eq", 1, -1, args => Comparison.Eq(args[0], args.Skip(1).ToList())),
        new("ne", 2, 2, args => !Comparison.Eq(args[0], [args[1]])),
        new("lt", 2, 2, args => Comparison.Less(args[0], args[1])),
        new("le", 2, 2, args => Comparison.Less(args[0], args[1]) || Comparison.Eq(args[0], [args[1]])),
        new("gt", 2, 2, args => !(Comparison.Less(args[0], args[1]) || Comparison.Eq(args[0], [args[1]]))),
        new("ge", 2, 2, args => !Comparison.Less(args[0], args[1])),
        new("print", 0, -1, GoFormat.Sprint),
        new("println", 0, -1, GoFormat.Sprintln),
        new("printf", 1, -1, args => GoFormat.Sprintf(Functions.String(args, 0), args.Skip(1).ToList())),
        new("html", 0, -1, args => HtmlEscape(JoinArgs(args))),
        new("js", 0, -1, args => JsEscape(JoinArgs(args))),
        new("urlquery", 0, -1, args => QueryEscape(JoinArgs(args))),
    ];

    private static long Length(object? value) => value switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        null => throw new TemplateFunctionException("len of nil pointer"),
        _ when Values.IsMap(value) || Values.IsList(value) => Values.Count(value),
        _ => throw new TemplateFunctionException($"len of type {Values.GoTypeName(value)}"),
    };

    private static object? Index(object? item, List<object?> indexes)
    {
        // docker runs templates on typed structs, where Labels is a map[string]string: indexing a
        // missing key, or a nil Labels, gives "". Here a null or all-string JSON object does too.
        if (item is null && indexes.Count > 0 && indexes.All(i => i is string))
            return "";
        foreach (var index in indexes)
        {
            switch (item)
            {
                case null or NoValue:
                    throw new TemplateFunctionException("index of untyped nil");
                case string s:
                    var bytes = Encoding.UTF8.GetBytes(s);
                    item = (long)bytes[IndexArg(index, bytes.Length, exclusive: true)];
                    break;
                case var _ when Values.IsMap(item):
                    if (index is not string key)
                        throw new TemplateFunctionException($"value has type {Values.GoTypeName(index)}; should be string");
                    item = Values.TryGetKey(item, key, out var value) ? value : MissingKey(item);
                    break;
                case var _ when Values.IsList(item):
                    var items = Values.Items(item);
                    item = items[IndexArg(index, items.Count, exclusive: true)];
                    break;
                default:
                    throw new TemplateFunctionException($"can't index item of type {Values.GoTypeName(item)}");
            }
        }
        return item;
    }

    private static object MissingKey(object? map) =>
        Values.Entries(map).All(e => e.Value is string) ? "" : NoValue.Instance;

    private static int IndexArg(object? index, int length, bool exclusive)
    {
        if (index is not long l)
            throw new TemplateFunctionException($"cannot index slice/array with type {Values.GoTypeName(index)}");
        if (l < 0 || (exclusive ? l >= length : l > length))
            throw new TemplateFunctionException($"index out of range: {l}");
        return (int)l;
    }

    private static object? Slice(object? item, List<object?> indexes)
    {
        if (item is null)
            throw new TemplateFunctionException("slice of untyped nil");
        if (indexes.Count > 3)
            throw new TemplateFunctionException($"too many slice indexes: {indexes.Count}");
        byte[]? bytes = null;
        List<object?>? items = null;
        if (item is string s)
        {
            if (indexes.Count == 3)
                throw new TemplateFunctionException("cannot 3-index slice a string");
            bytes = Encoding.UTF8.GetBytes(s);
        }
        else if (Values.IsList(item))
        {
            items = Values.Items(item);
        }
        else
        {
            throw new TemplateFunctionException($"can't slice item of type {Values.GoTypeName(item)}");
        }
        var length = bytes?.Length ?? items!.Count;
        int[] bounds = [0, length, length];
        for (var i = 0; i < indexes.Count; i++)
            bounds[i] = IndexArg(indexes[i], length, exclusive: false);
        if (bounds[0] > bounds[1])
            throw new TemplateFunctionException($"invalid slice index: {bounds[0]} > {bounds[1]}");
        if (indexes.Count == 3 && bounds[1] > bounds[2])
            throw new TemplateFunctionException($"invalid slice index: {bounds[1]} > {bounds[2]}");
        return bytes is not null
            ? Encoding.UTF8.GetString(bytes, bounds[0], bounds[1] - bounds[0])
            : items!.GetRange(bounds[0], bounds[1] - bounds[0]);
    }

    /// <summary>html, js and urlquery print their arguments as print does, unless given one string.</summary>
    private static string JoinArgs(IReadOnlyList<object?> args) =>
        args is [string s] ? s : GoFormat.Sprint(args);

    private static string HtmlEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    private static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '"': sb.Append("\\\""); break;
                case '<': sb.Append(@"\u003C"); break;
                case '>': sb.Append(@"\u003E"); break;
                case '&': sb.Append(@"\u0026"); break;
                case '=': sb.Append(@"\u003D"); break;
                case < ' ':
                    sb.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                case < (char)0x80:
                    sb.Append(c);
                    break;
                default:
                    var rune = char.IsHighSurrogate(c) && i + 1 < s.Length ? char.ConvertToUtf32(c, s[++i]) : c;
                    if (GoQuote.IsPrint(rune))
                        sb.Append(char.ConvertFromUtf32(rune));
                    else
                        sb.Append(@"\u").Append(rune.ToString("X4", CultureInfo.InvariantCulture));
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>url.QueryEscape: unreserved characters stay, space becomes +, the rest %XX.</summary>
    private static string QueryEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                sb.Append((char)b);
            else if (b == ' ')
                sb.Append('+');
            else
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
