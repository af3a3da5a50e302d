namespace Berth.Cli.Templates;

/// <summary>fmt.Sprintf: flags, width, precision, <c>*</c> and <c>[n]</c> argument indexes.</summary>
internal sealed partial class GoFormat
{
    public static string Sprintf(string format, IReadOnlyList<object?> rawArgs)
    {
        var args = rawArgs.Select(Values.Normalize).ToList();
        var p = new GoFormat();
        var argNum = 0;
        var reordered = false;
        var i = 0;
        while (i < format.Length)
        {
            var percent = format.IndexOf('%', i);
            if (percent < 0)
            {
                p._buf.Append(format, i, format.Length - i);
                break;
            }
            p._buf.Append(format, i, percent - i);
            i = percent + 1;
            p._flags = default;
            i = p.ParseFlags(format, i);

            var goodArgNum = true;
            (argNum, i, var afterIndex) = ArgNumber(format, i, argNum, args.Count, ref reordered, ref goodArgNum);
            if (i < format.Length && format[i] == '*')
            {
                i++;
                (p._flags.Width, p._flags.HasWidth, argNum) = IntFromArg(args, argNum);
                if (!p._flags.HasWidth)
                    p._buf.Append("%!(BADWIDTH)");
                if (p._flags.Width < 0)
                {
                    p._flags.Width = -p._flags.Width;
                    p._flags.Minus = true;
                    p._flags.Zero = false;
                }
                afterIndex = false;
            }
            else
            {
                (p._flags.Width, p._flags.HasWidth, i) = ParseNumber(format, i);
                if (afterIndex && p._flags.HasWidth)
                    goodArgNum = false;
            }

            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (afterIndex)
                    goodArgNum = false;
                (argNum, i, afterIndex) = ArgNumber(format, i, argNum, args.Count, ref reordered, ref goodArgNum);
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    (p._flags.Precision, p._flags.HasPrecision, argNum) = IntFromArg(args, argNum);
                    if (p._flags.Precision < 0)
                        p._flags.HasPrecision = false;
                    if (!p._flags.HasPrecision)
                        p._buf.Append("%!(BADPREC)");
                    afterIndex = false;
                }
                else
                {
                    (p._flags.Precision, _, i) = ParseNumber(format, i);
                    p._flags.HasPrecision = true;
                }
            }

            if (!afterIndex)
                (argNum, i, afterIndex) = ArgNumber(format, i, argNum, args.Count, ref reordered, ref goodArgNum);

            if (i >= format.Length)
            {
                p._buf.Append("%!(NOVERB)");
                break;
            }
            var verb = format[i++];
            if (verb == '%')
            {
                p._buf.Append('%');
            }
            else if (!goodArgNum)
            {
                p._buf.Append("%!").Append(verb).Append("(BADINDEX)");
            }
            else if (argNum >= args.Count)
            {
                p._buf.Append("%!").Append(verb).Append("(MISSING)");
            }
            else
            {
                if (verb == 'v')
                {
                    // %+v and %#v ask for Go syntax and field names, which these values do not have.
                    p._flags.Plus = false;
                    p._flags.Sharp = false;
                }
                p.PrintArg(args[argNum++], verb);
            }
        }

        if (!reordered && argNum < args.Count)
        {
            p._flags = default;
            p._buf.Append("%!(EXTRA ");
            for (var k = argNum; k < args.Count; k++)
            {
                if (k > argNum)
                    p._buf.Append(", ");
                if (args[k] is null or NoValue)
                {
                    p._buf.Append("<nil>");
                    continue;
                }
                p._buf.Append(Values.GoTypeName(args[k])).Append('=');
                p.PrintArg(args[k], 'v');
            }
            p._buf.Append(')');
        }
        return p._buf.ToString();
    }

    private int ParseFlags(string format, int i)
    {
        for (; i < format.Length; i++)
        {
            switch (format[i])
            {
                case '#': _flags.Sharp = true; break;
                case '0': _flags.Zero = !_flags.Minus; break;
                case '+': _flags.Plus = true; break;
                case '-': _flags.Minus = true; _flags.Zero = false; break;
                case ' ': _flags.Space = true; break;
                default: return i;
            }
        }
        return i;
    }

    private static (int Value, bool Found, int Next) ParseNumber(string format, int i)
    {
        var start = i;
        var value = 0;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            if (value > 1_000_000)
                return (0, false, format.Length);
            value = value * 10 + (format[i++] - '0');
        }
        return (value, i > start, i);
    }

    /// <summary>An explicit <c>[n]</c> argument index, one-based in the format.</summary>
    private static (int ArgNum, int Next, bool Found) ArgNumber(
        string format, int i, int argNum, int count, ref bool reordered, ref bool goodArgNum)
    {
        if (i >= format.Length || format[i] != '[')
            return (argNum, i, false);
        reordered = true;
        var close = format.IndexOf(']', i + 1);
        if (close < 0)
        {
            goodArgNum = false;
            return (argNum, i + 1, false);
        }
        var (index, found, next) = ParseNumber(format, i + 1);
        if (!found || next != close)
        {
            goodArgNum = false;
            return (argNum, close + 1, false);
        }
        if (index - 1 >= 0 && index - 1 < count)
            return (index - 1, close + 1, true);
        goodArgNum = false;
        return (argNum, close + 1, true);
    }

    private static (int Value, bool Ok, int ArgNum) IntFromArg(List<object?> args, int argNum)
    {
        if (argNum >= args.Count)
            return (0, false, argNum);
        if (args[argNum] is long l && l is >= -1_000_000 and <= 1_000_000)
            return ((int)l, true, argNum + 1);
        return (0, false, argNum + 1);
    }
}
