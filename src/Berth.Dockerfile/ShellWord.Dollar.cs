namespace Berth.Dockerfile;

internal sealed partial class ShellWord
{
    /// <summary>
    /// <c>$NAME</c>, <c>${NAME}</c> and the <c>${NAME…}</c> forms BuildKit knows: <c>:-</c> <c>-</c> <c>:+</c> <c>+</c>
    /// <c>:?</c> <c>?</c> <c>#</c> <c>##</c> <c>%</c> <c>%%</c> <c>/</c> <c>//</c>. Anything else is an error, as in Docker.
    /// </summary>
    private string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            var plain = ProcessName();
            if (plain.Length == 0)
            {
                return "$";
            }
            var (value, set) = Lookup(plain);
            return !set && _options.SkipUnsetEnv ? "$" + plain : value;
        }
        Next();
        switch (Peek())
        {
            case Eof:
                throw new ShellWordException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new ShellWordException("syntax error: bad substitution");
        }
        var name = ProcessName();
        var ch = Next();
        switch (ch)
        {
            case '}':
                var (value, set) = Lookup(name);
                return !set && _options.SkipUnsetEnv ? "${" + name + "}" : value;
            case ':':
                return ProcessModifier(name, Next(), nullIsUnset: true);
            case '+' or '-' or '?' or '#' or '%':
                return ProcessModifier(name, ch, nullIsUnset: false);
            case '/':
                return ProcessReplace(name);
            default:
                throw UnsupportedModifier(Modifier(ch, false));
        }
    }

    /// <summary>Go prints the scanner's end of input as U+FFFD in this message.</summary>
    private static string Modifier(int ch, bool colon) => (colon ? ":" : "") + (ch == Eof ? "\uFFFD" : ((char)ch).ToString());

    private static ShellWordException UnsupportedModifier(string modifier) => new($"unsupported modifier ({modifier}) in substitution");

    private string ProcessModifier(string name, int ch, bool nullIsUnset)
    {
        var modifier = Modifier(ch, nullIsUnset);
        var pattern = ch is '#' or '%';
        if (nullIsUnset && pattern)
        {
            throw UnsupportedModifier(modifier);
        }
        var word = ReadUntil('}', pattern, "syntax error: missing '}'");
        var (value, set) = Lookup(name);
        if (_options.SkipUnsetEnv && !set)
        {
            return "${" + name + modifier + word + "}";
        }
        var unset = !set || (nullIsUnset && value.Length == 0);
        switch (ch)
        {
            case '-':
                return unset ? word : value;
            case '+':
                return unset ? "" : word;
            case '?':
                if (!set)
                {
                    throw new ShellWordException($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                }
                if (unset)
                {
                    throw new ShellWordException($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                }
                return value;
            case '#' or '%':
                var greedy = word.Length > 0 && word[0] == ch;
                if (greedy)
                {
                    word = word[1..];
                }
                return ch == '%' ? ShellPattern.TrimSuffix(word, value, greedy) : ShellPattern.TrimPrefix(word, value, greedy);
            default:
                throw UnsupportedModifier(modifier);
        }
    }

    private string ProcessReplace(string name)
    {
        var all = Peek() == '/';
        if (all)
        {
            Next();
        }
        var pattern = ReadUntil('/', true, "syntax error: missing '/' in ${}");
        var replacement = ReadUntil('}', true, "syntax error: missing '}'");
        var (value, set) = Lookup(name);
        if (_options.SkipUnsetEnv && !set)
        {
            return "${" + name + "/" + pattern + "/" + replacement + "}";
        }
        return ShellPattern.Replace(value, pattern, replacement, all);
    }

    /// <summary>The text up to <paramref name="stop"/>, expanded; running out of input gives <paramref name="missing"/>.</summary>
    private string ReadUntil(char stop, bool rawEscapes, string missing)
    {
        try
        {
            return ProcessStopOn(stop, rawEscapes).Result;
        }
        catch (ShellWordException) when (Peek() == Eof)
        {
            throw new ShellWordException(missing);
        }
    }
}
