using System.Globalization;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's fmt for the template value model: <c>print</c>, <c>println</c>, <c>printf</c> and the
/// <c>%v</c> every action prints with. Lists print as <c>[a b]</c>, maps as <c>map[k:v]</c>
/// sorted by key, nil as <c>&lt;nil&gt;</c>, a verb that does not fit as <c>%!d(string=x)</c>.
/// </summary>
internal sealed partial class GoFormat
{
    private readonly StringBuilder _buf = new();
    private Flags _flags;

    private struct Flags
    {
        public bool Plus, Minus, Sharp, Space, Zero;
        public int Width, Precision;
        public bool HasWidth, HasPrecision;
    }

    /// <summary>fmt.Sprint: operands separated by a space when neither side is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var p = new GoFormat();
        var previousString = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = Values.Normalize(args[i]);
            var isString = arg is string;
            if (i > 0 && !isString && !previousString)
                p._buf.Append(' ');
            p.PrintArg(arg, 'v');
            previousString = isString;
        }
        return p._buf.ToString();
    }

    /// <summary>fmt.Sprintln: operands always separated by a space, then a newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var p = new GoFormat();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0)
                p._buf.Append(' ');
            p.PrintArg(Values.Normalize(args[i]), 'v');
        }
        return p._buf.Append('\n').ToString();
    }

    /// <summary>%v of one value.</summary>
    public static string Value(object? value)
    {
        var p = new GoFormat();
        p.PrintArg(Values.Normalize(value), 'v');
        return p._buf.ToString();
    }

    private void PrintArg(object? arg, char verb)
    {
        if (arg is null or NoValue or NilPointer)
        {
            if (verb is 'v' or 'T')
                Pad("<nil>");
            else
                BadVerb(verb, null);
            return;
        }
        if (verb == 'T')
        {
            Pad(Values.GoTypeName(arg));
            return;
        }
        switch (arg)
        {
            case bool b:
                if (verb is 't' or 'v')
                    Pad(b ? "true" : "false");
                else
                    BadVerb(verb, arg);
                break;
            case long l:
                FormatInteger(l, verb);
                break;
            case double d:
                FormatFloat(d, verb);
                break;
            case string s:
                FormatString(s, verb);
                break;
            case ITemplateObject o:
                PrintObject(o, verb);
                break;
            case var _ when Values.IsMap(arg):
                _buf.Append("map[");
                var first = true;
                foreach (var (key, value) in Values.SortedEntries(arg))
                {
                    if (!first)
                        _buf.Append(' ');
                    first = false;
                    PrintElement(key, verb);
                    _buf.Append(':');
                    PrintElement(value, verb);
                }
                _buf.Append(']');
                break;
            case var _ when Values.IsList(arg):
                _buf.Append('[');
                var items = Values.Items(arg);
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0)
                        _buf.Append(' ');
                    PrintElement(items[i], verb);
                }
                _buf.Append(']');
                break;
            default:
                Pad(arg.ToString() ?? "");
                break;
        }
    }

    /// <summary>An element of a list or map: a nil there prints as &lt;nil&gt; whatever the verb.</summary>
    private void PrintElement(object? value, char verb)
    {
        if (value is null)
            Pad("<nil>");
        else
            PrintArg(value, verb);
    }

    /// <summary>A struct prints its field values in braces: {a b}.</summary>
    private void PrintObject(ITemplateObject o, char verb)
    {
        _buf.Append('{');
        var first = true;
        foreach (var name in o.FieldNames)
        {
            if (!first)
                _buf.Append(' ');
            first = false;
            PrintElement(o.TryGetField(name, out var value) ? Values.Normalize(value) : null, verb);
        }
        _buf.Append('}');
    }

    private void BadVerb(char verb, object? arg)
    {
        _buf.Append("%!").Append(verb).Append('(');
        if (arg is null)
        {
            _buf.Append("<nil>");
        }
        else
        {
            _buf.Append(Values.GoTypeName(arg)).Append('=');
            PrintArg(arg, 'v');
        }
        _buf.Append(')');
    }

    /// <summary>Writes s padded to the width, counted in characters as Go counts runes.</summary>
    private void Pad(string s)
    {
        if (!_flags.HasWidth || _flags.Width == 0)
        {
            _buf.Append(s);
            return;
        }
        var padding = _flags.Width - RuneCount(s);
        if (padding <= 0)
            _buf.Append(s);
        else if (_flags.Minus)
            _buf.Append(s).Append(' ', padding);
        else
            _buf.Append(_flags.Zero ? '0' : ' ', padding).Append(s);
    }

    private static int RuneCount(string s)
    {
        var count = 0;
        for (var i = 0; i < s.Length; i++)
            if (!char.IsLowSurrogate(s[i]) || i == 0 || !char.IsHighSurrogate(s[i - 1]))
                count++;
        return count;
    }

    private void FormatInteger(long value, char verb)
    {
        switch (verb)
        {
            case 'v' or 'd': FormatInteger(value, 10, verb); break;
            case 'b': FormatInteger(value, 2, verb); break;
            case 'o' or 'O': FormatInteger(value, 8, verb); break;
            case 'x' or 'X': FormatInteger(value, 16, verb); break;
            case 'c': Pad(RuneText(value)); break;
            case 'q':
                var quoted = new StringBuilder("'");
                GoQuote.AppendRune(quoted, IsValidRune(value) ? (int)value : 0xFFFD, '\'', _flags.Plus);
                Pad(quoted.Append('\'').ToString());
                break;
            case 'U':
                var unicode = "U+" + value.ToString("X4", CultureInfo.InvariantCulture);
                if (_flags.Sharp && IsValidRune(value) && GoQuote.IsPrint((int)value))
                    unicode += $" '{RuneText(value)}'";
                Pad(unicode);
                break;
            default: BadVerb(verb, value); break;
        }
    }

    private static bool IsValidRune(long value) => value is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF);

    private static string RuneText(long value) => char.ConvertFromUtf32(IsValidRune(value) ? (int)value : 0xFFFD);

    private void FormatInteger(long value, int radix, char verb)
    {
        var negative = value < 0;
        var magnitude = negative ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        int precision;
        if (_flags.HasPrecision)
        {
            precision = _flags.Precision;
            if (precision == 0 && magnitude == 0)
            {
                var zero = _flags.Zero;
                _flags.Zero = false;
                Pad("");
                _flags.Zero = zero;
                return;
            }
        }
        else if (_flags.Zero && _flags.HasWidth)
        {
            precision = _flags.Width - (negative || _flags.Plus || _flags.Space ? 1 : 0);
        }
        else
        {
            precision = 0;
        }
        var digits = radix switch
        {
            10 => magnitude.ToString(CultureInfo.InvariantCulture),
            16 => magnitude.ToString(verb == 'X' ? "X" : "x", CultureInfo.InvariantCulture),
            _ => ToRadix(magnitude, radix),
        };
        if (digits.Length < precision)
            digits = new string('0', precision - digits.Length) + digits;
        var prefix = "";
        if (_flags.Sharp)
            prefix = radix switch { 2 => "0b", 8 when digits[0] != '0' => "0", 16 => verb == 'X' ? "0X" : "0x", _ => "" };
        if (verb == 'O')
            prefix = "0o";
        var sign = negative ? "-" : _flags.Plus ? "+" : _flags.Space ? " " : "";
        var oldZero = _flags.Zero;
        _flags.Zero = false;
        Pad(sign + prefix + digits);
        _flags.Zero = oldZero;
    }

    private static string ToRadix(ulong value, int radix)
    {
        if (value == 0)
            return "0";
        var chars = new Stack<char>();
        while (value > 0)
        {
            chars.Push((char)('0' + (int)(value % (ulong)radix)));
            value /= (ulong)radix;
        }
        return new string([.. chars]);
    }

    private void FormatFloat(double value, char verb)
    {
        switch (verb)
        {
            case 'v': FormatFloat(value, 'g', -1); break;
            case 'g' or 'G': FormatFloat(value, verb, _flags.HasPrecision ? _flags.Precision : -1); break;
            case 'f' or 'F' or 'e' or 'E':
                FormatFloat(value, verb == 'F' ? 'f' : verb, _flags.HasPrecision ? _flags.Precision : 6);
                break;
            default: BadVerb(verb, value); break;
        }
    }

    private void FormatFloat(double value, char format, int precision)
    {
        var text = GoFloat.Format(value, format, precision);
        var sign = text[0] is '-' or '+' ? text[0] : '+';
        var body = text[0] is '-' or '+' ? text[1..] : text;
        if (_flags.Space && sign == '+' && !_flags.Plus)
            sign = ' ';
        if (body is "Inf" or "NaN")
        {
            var zero = _flags.Zero;
            _flags.Zero = false;
            Pad(body == "NaN" && !_flags.Space && !_flags.Plus ? body : sign + body);
            _flags.Zero = zero;
            return;
        }
        if (_flags.Plus || sign != '+')
        {
            if (_flags.Zero && _flags.HasWidth && _flags.Width > body.Length + 1)
            {
                _buf.Append(sign).Append('0', _flags.Width - body.Length - 1).Append(body);
                return;
            }
            Pad(sign + body);
            return;
        }
        Pad(body);
    }

    private void FormatString(string s, char verb)
    {
        switch (verb)
        {
            case 'v' or 's':
                Pad(Truncate(s));
                break;
            case 'q':
                var sb = new StringBuilder();
                var text = Truncate(s);
                if (_flags.Sharp && !text.Contains('`') && text.All(c => c == '\t' || !char.IsControl(c)))
                    sb.Append('`').Append(text).Append('`');
                else
                    GoQuote.AppendString(sb, text, '"', _flags.Plus);
                Pad(sb.ToString());
                break;
            case 'x' or 'X':
                Pad(Hex(Encoding.UTF8.GetBytes(s), verb == 'X'));
                break;
            default:
                BadVerb(verb, s);
                break;
        }
    }

    private string Truncate(string s)
    {
        if (!_flags.HasPrecision)
            return s;
        var runes = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1]))
                continue;
            if (runes++ == _flags.Precision)
                return s[..i];
        }
        return s;
    }

    private string Hex(byte[] bytes, bool upper)
    {
        var length = _flags.HasPrecision ? Math.Min(_flags.Precision, bytes.Length) : bytes.Length;
        var sb = new StringBuilder();
        var prefix = upper ? "0X" : "0x";
        for (var i = 0; i < length; i++)
        {
            if (_flags.Space && i > 0)
                sb.Append(' ');
            if (_flags.Sharp && (_flags.Space || i == 0))
                sb.Append(prefix);
            sb.Append(bytes[i].ToString(upper ? "X2" : "x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
