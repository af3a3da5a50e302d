namespace Berth.Cli.Templates;

/// <summary>
/// eq, ne, lt, le, gt, ge over basic values. Unlike Go, an int and a float compare by value:
/// inspect JSON gives floats where docker's structs had ints, so <c>eq .State.ExitCode 0</c>
/// has to work on both.
/// </summary>
internal static class Comparison
{
    private enum Kind { Nil, Bool, Number, String, Other }

    private static Kind KindOf(object? value) => value switch
    {
        null or NoValue => Kind.Nil,
        bool => Kind.Bool,
        long or double => Kind.Number,
        string => Kind.String,
        _ => Kind.Other,
    };

    public static bool Eq(object? first, IReadOnlyList<object?> others)
    {
        if (others.Count == 0)
            throw new TemplateFunctionException("missing argument for comparison");
        var k1 = KindOf(first);
        foreach (var other in others)
        {
            var k2 = KindOf(other);
            bool truth;
            if (k1 != k2)
            {
                if (k1 != Kind.Nil && k2 != Kind.Nil)
                    throw new TemplateFunctionException("incompatible types for comparison");
                truth = false;
            }
            else
            {
                truth = k1 switch
                {
                    Kind.Nil => true,
                    Kind.Bool => (bool)first! == (bool)other!,
                    Kind.String => (string)first! == (string)other!,
                    Kind.Number => NumberEquals(first!, other!),
                    _ => throw new TemplateFunctionException(
                        $"non-comparable type {GoFormat.Sprintf("%s", [first])}: {Values.GoTypeName(first)}"),
                };
            }
            if (truth)
                return true;
        }
        return false;
    }

    public static bool Less(object? a, object? b)
    {
        var (k1, k2) = (KindOf(a), KindOf(b));
        if (k1 != k2)
            throw new TemplateFunctionException("incompatible types for comparison");
        return k1 switch
        {
            Kind.String => string.CompareOrdinal((string)a!, (string)b!) < 0,
            Kind.Number => a is long x && b is long y ? x < y : ToDouble(a!) < ToDouble(b!),
            _ => throw new TemplateFunctionException("invalid type for comparison"),
        };
    }

    private static bool NumberEquals(object a, object b) =>
        a is long x && b is long y ? x == y : ToDouble(a) == ToDouble(b);

    private static double ToDouble(object value) => value is long l ? l : (double)value;
}
