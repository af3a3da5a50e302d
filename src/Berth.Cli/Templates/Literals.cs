using System.Globalization;

namespace Berth.Cli.Templates;

/// <summary>The literal syntax Go accepts in templates: numbers, characters and quoted strings.</summary>
internal static class Literals
{
    public static object? ParseNumber(string text)
    {
        var clean = text.Replace("_", "");
        var negative = clean.StartsWith('-');
        var body = clean.TrimStart('+', '-');
        if (body.EndsWith('i'))
            return null; // complex numbers: nothing in docker's formats needs them
        if (TryParseInteger(body, out var magnitude))
        {
            if (negative)
                return magnitude <= (ulong)long.MaxValue + 1 ? unchecked((long)(0 - magnitude)) : null;
            return magnitude <= long.MaxValue ? (long)magnitude : null;
        }
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return null;
        if (!double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var value) || !body.Any(char.IsAsciiDigit))
            return null;
        value = negative ? -value : value;
        // Go gives a float constant an int value when it is one and has no fraction syntax,
        // but 1.0 and 1e3 stay floats for an interface{} argument.
        return value;
    }

    private static bool TryParseInteger(string body, out ulong value)
    {
        value = 0;
        var (digits, radix) = body.Length > 1 && body[0] == '0'
            ? char.ToLowerInvariant(body[1]) switch
            {
                'x' => (body[2..], 16),
                'o' => (body[2..], 8),
                'b' => (body[2..], 2),
                _ => (body[1..], 8),
            }
            : (body, 10);
        if (digits.Length == 0)
            return body == "0";
        foreach (var c in digits)
        {
            var d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= radix)
                return false;
            try
            {
                value = checked(value * (ulong)radix + (ulong)d);
            }
            catch (OverflowException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>strconv.Unquote of a "…", `…` or '…' literal; null when it is malformed.</summary>
    public static string? Unquote(string quoted)
    {
        if (quoted.Length < 2 || quoted[0] != quoted[^1])
            return null;
        var body = quoted[1..^1];
        if (quoted[0] == '`')
            return body.Contains('`') ? null : body.Replace("\r", "");
        var sb = new System.Text.StringBuilder(body.Length);
        for (var i = 0; i < body.Length;)
        {
            if (!TryUnquoteChar(body, ref i, quoted[0], out var rune))
                return null;
            if (rune is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
                sb.Append(char.ConvertFromUtf32(rune));
            else
                sb.Append((char)(rune & 0xFFFF));
        }
        return sb.ToString();
    }

    /// <summary>The rune of a character constant such as <c>'a'</c> or <c>'\n'</c>.</summary>
    public static int? UnquoteChar(string quoted)
    {
        var body = quoted[1..^1];
        var i = 0;
        if (!TryUnquoteChar(body, ref i, '\'', out var rune) || i != body.Length)
            return null;
        return rune;
    }

    private static bool TryUnquoteChar(string s, ref int i, char quote, out int rune)
    {
        rune = 0;
        if (i >= s.Length)
            return false;
        var c = s[i++];
        if (c == quote && quote == '\'' || c == '\n')
            return false;
        if (c != '\\')
        {
            rune = char.IsHighSurrogate(c) && i < s.Length && char.IsLowSurrogate(s[i]) ? char.ConvertToUtf32(c, s[i++]) : c;
            return true;
        }
        if (i >= s.Length)
            return false;
        c = s[i++];
        switch (c)
        {
            case 'a': rune = '\a'; return true;
            case 'b': rune = '\b'; return true;
            case 'f': rune = '\f'; return true;
            case 'n': rune = '\n'; return true;
            case 'r': rune = '\r'; return true;
            case 't': rune = '\t'; return true;
            case 'v': rune = '\v'; return true;
            case '\\': rune = '\\'; return true;
            case '\'' or '"': rune = c; return c == quote;
            case 'x': return TryHex(s, ref i, 2, out rune);
            case 'u': return TryHex(s, ref i, 4, out rune);
            case 'U': return TryHex(s, ref i, 8, out rune) && rune <= 0x10FFFF;
            case >= '0' and <= '7':
                if (i + 2 > s.Length)
                    return false;
                var octal = s.Substring(i - 1, 3);
                if (!octal.All(d => d is >= '0' and <= '7'))
                    return false;
                rune = Convert.ToInt32(octal, 8);
                i += 2;
                return rune <= 255;
            default:
                return false;
        }
    }

    private static bool TryHex(string s, ref int i, int count, out int rune)
    {
        rune = 0;
        if (i + count > s.Length
            || !int.TryParse(s.AsSpan(i, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out rune))
            return false;
        i += count;
        return true;
    }
}
