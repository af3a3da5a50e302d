using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>Go's quoting of strings and code points, as fmt's %q and %#U print them.</summary>
internal static class GoQuote
{
    public static string String(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendString(sb, s, '"', asciiOnly: false);
        return sb.ToString();
    }

    public static void AppendString(StringBuilder sb, string s, char quote, bool asciiOnly)
    {
        sb.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            int rune = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                rune = char.ConvertToUtf32(s[i], s[++i]);
            else if (char.IsSurrogate(s[i]))
                rune = 0xFFFD;
            AppendRune(sb, rune, quote, asciiOnly);
        }
        sb.Append(quote);
    }

    public static void AppendRune(StringBuilder sb, int rune, char quote, bool asciiOnly)
    {
        if (rune == quote || rune == '\\')
        {
            sb.Append('\\').Append((char)rune);
            return;
        }
        if (asciiOnly ? rune is >= 0x20 and < 0x7f : IsPrint(rune))
        {
            sb.Append(char.ConvertFromUtf32(rune));
            return;
        }
        switch (rune)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (rune < ' ' || rune == 0x7f)
            sb.Append("\\x").Append(rune.ToString("x2", CultureInfo.InvariantCulture));
        else if (rune < 0x10000)
            sb.Append("\\u").Append(rune.ToString("x4", CultureInfo.InvariantCulture));
        else
            sb.Append("\\U").Append(rune.ToString("x8", CultureInfo.InvariantCulture));
    }

    /// <summary>Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int rune)
    {
        if (rune == ' ')
            return true;
        if (rune is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
            return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);
    }

    /// <summary>%#U: <c>U+007D '}'</c>.</summary>
    public static string CodePoint(char c)
    {
        var hex = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(c) ? $"{hex} '{c}'" : hex;
    }
}
