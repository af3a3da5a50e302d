using System.Globalization;
using System.Numerics;
using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// float64 to text as Go's strconv.FormatFloat does it for the 'e', 'f' and 'g' formats:
/// shortest digits that round-trip when no precision is given, otherwise the exact decimal
/// value rounded half to even.
/// </summary>
internal static class GoFloat
{
    /// <summary>Decimal digits d1d2… (no trailing zeros) with the value 0.d1d2… × 10^Point.</summary>
    private readonly record struct Digits(string Text, int Point);

    /// <summary>Go's <c>%v</c> of a float64: <c>1234</c>, <c>1.5</c>, <c>1.7e+09</c>, <c>1e-05</c>.</summary>
    public static string General(double value) => Format(value, 'g', -1);

    /// <summary>strconv.FormatFloat(value, format, precision, 64); precision −1 means shortest.</summary>
    public static string Format(double value, char format, int precision)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "+Inf" : "-Inf";
        var negative = double.IsNegative(value);
        var abs = Math.Abs(value);
        var upper = char.IsUpper(format);
        format = char.ToLowerInvariant(format);
        var shortest = precision < 0;
        Digits digits;
        if (shortest)
        {
            digits = Shortest(abs);
            precision = format switch { 'e' => digits.Text.Length - 1, 'f' => Math.Max(digits.Text.Length - digits.Point, 0), _ => digits.Text.Length };
        }
        else
        {
            var exact = Exact(abs);
            digits = format switch
            {
                'e' => Round(exact, precision + 1),
                'f' => Round(exact, exact.Point + precision),
                _ => Round(exact, precision == 0 ? 1 : precision),
            };
            if (format == 'g' && precision == 0)
                precision = 1;
        }
        var sb = new StringBuilder();
        if (negative)
            sb.Append('-');
        switch (format)
        {
            case 'e':
                AppendE(sb, digits, precision, upper);
                break;
            case 'f':
                AppendF(sb, digits, precision);
                break;
            default:
                var eprec = precision;
                if (eprec > digits.Text.Length && digits.Text.Length >= digits.Point)
                    eprec = digits.Text.Length;
                if (shortest)
                    eprec = 6;
                var exponent = digits.Point - 1;
                if (exponent < -4 || exponent >= eprec)
                    AppendE(sb, digits, Math.Min(precision, digits.Text.Length) - 1, upper);
                else
                    AppendF(sb, digits, Math.Max((precision > digits.Point ? digits.Text.Length : precision) - digits.Point, 0));
                break;
        }
        return sb.ToString();
    }

    /// <summary>The form encoding/json gives a float64: like 'f', but 'e' below 1e-6 and from 1e21.</summary>
    public static string Json(double value)
    {
        var abs = Math.Abs(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var text = Format(value, 'e', -1);
            // Go writes 1e-07 as 1e-7 in JSON.
            var n = text.Length;
            return n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0' ? text[..(n - 2)] + text[n - 1] : text;
        }
        return Format(value, 'f', -1);
    }

    private static void AppendE(StringBuilder sb, Digits digits, int precision, bool upper)
    {
        var text = digits.Text;
        sb.Append(text.Length == 0 ? '0' : text[0]);
        if (precision > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= precision; i++)
                sb.Append(i < text.Length ? text[i] : '0');
        }
        var exponent = text.Length == 0 ? 0 : digits.Point - 1;
        sb.Append(upper ? 'E' : 'e').Append(exponent < 0 ? '-' : '+');
        var magnitude = Math.Abs(exponent);
        sb.Append(magnitude < 10 ? "0" : "").Append(magnitude.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendF(StringBuilder sb, Digits digits, int precision)
    {
        var text = digits.Text;
        if (digits.Point > 0)
        {
            for (var i = 0; i < digits.Point; i++)
                sb.Append(i < text.Length ? text[i] : '0');
        }
        else
        {
            sb.Append('0');
        }
        if (precision > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= precision; i++)
            {
                var j = digits.Point + i - 1;
                sb.Append(j >= 0 && j < text.Length ? text[j] : '0');
            }
        }
    }

    /// <summary>The shortest digits that read back as the same double (.NET's "R" picks them).</summary>
    private static Digits Shortest(double abs)
    {
        if (abs == 0)
            return new Digits("", 0);
        var text = abs.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.');
        var point = (dot < 0 ? text.Length : dot) + exponent;
        var all = text.Replace(".", "");
        var leading = all.Length - all.TrimStart('0').Length;
        return new Digits(all.Trim('0'), point - leading);
    }

    /// <summary>Every decimal digit of the double: m·2^e is m·5^−e / 10^−e when e is negative.</summary>
    private static Digits Exact(double abs)
    {
        if (abs == 0)
            return new Digits("", 0);
        var bits = BitConverter.DoubleToInt64Bits(abs);
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (rawExponent == 0)
            rawExponent = 1;
        else
            mantissa |= 1L << 52;
        var exponent = rawExponent - 1075;
        string text;
        int point;
        if (exponent >= 0)
        {
            text = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            point = text.Length;
        }
        else
        {
            text = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            point = text.Length + exponent;
        }
        var trimmed = text.TrimEnd('0');
        return new Digits(trimmed, point);
    }

    /// <summary>Keeps <paramref name="count"/> significant digits, rounding half to even.</summary>
    private static Digits Round(Digits digits, int count)
    {
        var text = digits.Text;
        if (count < 0)
            return new Digits("", digits.Point);
        if (count >= text.Length)
            return digits;
        var roundUp = text[count] > '5' || text[count] == '5' && (count + 1 < text.Length || count > 0 && (text[count - 1] - '0') % 2 == 1);
        if (!roundUp)
            return new Digits(text[..count].TrimEnd('0'), digits.Point);
        var chars = text[..count].ToCharArray();
        var i = count - 1;
        while (i >= 0 && chars[i] == '9')
            i--;
        if (i < 0)
            return new Digits("1", digits.Point + 1);
        chars[i]++;
        return new Digits(new string(chars, 0, i + 1), digits.Point);
    }
}
