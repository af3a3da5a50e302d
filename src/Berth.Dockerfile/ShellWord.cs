using System.Text;

namespace Berth.Dockerfile;

/// <summary>How a <see cref="ShellWord"/> scan treats quotes, escapes and unknown variables.</summary>
/// <param name="RawQuotes">Keep the quote characters in the result (heredoc detection compares both results).</param>
/// <param name="RawEscapes">Keep the escape tokens in the result.</param>
/// <param name="SkipUnsetEnv">Leave <c>$NAME</c> of an unset variable as written instead of expanding it to nothing.</param>
/// <param name="LiteralQuotes">Quotes are plain characters (the body of a COPY heredoc).</param>
internal readonly record struct ShellWordOptions(
    char EscapeToken, bool RawQuotes = false, bool RawEscapes = false, bool SkipUnsetEnv = false, bool LiteralQuotes = false);

/// <summary>
/// One pass of BuildKit's shell lexer over a word: quote removal, escapes, <c>$VAR</c> / <c>${VAR…}</c> expansion, and
/// the word split that follows the expansion (a variable's spaces split words, quoted text never does).
/// </summary>
internal sealed partial class ShellWord
{
    private const int Eof = -1;

    private readonly string _source;
    private readonly ShellWordOptions _options;
    private readonly IReadOnlyDictionary<string, string> _variables;
    private bool _rawEscapes;
    private int _position;

    private ShellWord(string source, ShellWordOptions options, IReadOnlyDictionary<string, string> variables)
    {
        _source = source;
        _options = options;
        _variables = variables;
        _rawEscapes = options.RawEscapes;
    }

    /// <summary>The word expanded, and its words split; throws <see cref="ShellWordException"/> with Docker's text.</summary>
    public static (string Result, List<string> Words) Process(
        string source, ShellWordOptions options, IReadOnlyDictionary<string, string> variables)
    {
        try
        {
            return new ShellWord(source, options, variables).ProcessStopOn(Eof, options.RawEscapes);
        }
        catch (ShellWordException e)
        {
            throw new ShellWordException($"failed to process \"{source}\": {e.Message}");
        }
    }

    private int Peek() => _position < _source.Length ? _source[_position] : Eof;

    private int Next() => _position < _source.Length ? _source[_position++] : Eof;

    private (string Result, List<string> Words) ProcessStopOn(int stopChar, bool rawEscapes)
    {
        var result = new StringBuilder();
        var words = new WordSplitter();
        var saved = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != Eof)
            {
                var ch = Peek();
                if (stopChar != Eof && ch == stopChar)
                {
                    Next();
                    return (result.ToString(), words.Finish());
                }
                if (ch == '$')
                {
                    var value = ProcessDollar();
                    result.Append(value);
                    words.AddSplitting(value);
                }
                else if (((ch == '\'' || ch == '"') && !_options.LiteralQuotes) || ch == '<')
                {
                    var value = ch switch { '\'' => ProcessSingleQuote(), '"' => ProcessDoubleQuote(), _ => ProcessPossibleHeredoc() };
                    result.Append(value);
                    words.AddRaw(value);
                }
                else if (!ProcessPlain(result, words))
                {
                    break;
                }
            }
            if (stopChar != Eof)
            {
                throw new ShellWordException($"unexpected end of statement while looking for matching {(char)stopChar}");
            }
            return (result.ToString(), words.Finish());
        }
        finally
        {
            _rawEscapes = saved;
        }
    }

    /// <summary>One unquoted character, or an escape and the character it escapes; false at an escape ending the word.</summary>
    private bool ProcessPlain(StringBuilder result, WordSplitter words)
    {
        var ch = Next();
        if (ch == _options.EscapeToken)
        {
            if (_rawEscapes)
            {
                words.AddRaw((char)ch);
                result.Append((char)ch);
            }
            ch = Next();
            if (ch == Eof)
            {
                return false;
            }
            words.AddRaw((char)ch);
        }
        else
        {
            words.Add((char)ch);
        }
        result.Append((char)ch);
        return true;
    }

    private string ProcessSingleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (_options.RawQuotes)
        {
            result.Append((char)ch);
        }
        while (true)
        {
            ch = Next();
            if (ch == Eof)
            {
                throw new ShellWordException("unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'')
            {
                if (_options.RawQuotes)
                {
                    result.Append((char)ch);
                }
                return result.ToString();
            }
            result.Append((char)ch);
        }
    }

    /// <summary>Inside double quotes only <c>$</c> expands, and the escape token escapes only <c>"</c>, <c>$</c> and itself.</summary>
    private string ProcessDoubleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (_options.RawQuotes)
        {
            result.Append((char)ch);
        }
        while (true)
        {
            switch (Peek())
            {
                case Eof:
                    throw new ShellWordException("unexpected end of statement while looking for matching double-quote");
                case '"':
                    ch = Next();
                    if (_options.RawQuotes)
                    {
                        result.Append((char)ch);
                    }
                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    ch = Next();
                    if (ch == _options.EscapeToken)
                    {
                        if (_rawEscapes)
                        {
                            result.Append((char)ch);
                        }
                        var next = Peek();
                        if (next == Eof)
                        {
                            continue;
                        }
                        if (next == '"' || next == '$' || next == _options.EscapeToken)
                        {
                            ch = Next();
                        }
                    }
                    result.Append((char)ch);
                    break;
            }
        }
    }

    /// <summary><c>&lt;&lt;</c> and the blanks after it stay one word, so that <c>&lt;&lt; EOF</c> is seen as a heredoc.</summary>
    private string ProcessPossibleHeredoc()
    {
        Next();
        if (Peek() != '<')
        {
            return "<";
        }
        Next();
        var result = new StringBuilder("<<");
        while (Peek() is ' ' or '\t' or '\r')
        {
            result.Append((char)Next());
        }
        return result.ToString();
    }

    private string ProcessName()
    {
        var name = new StringBuilder();
        while (Peek() != Eof)
        {
            var ch = (char)Peek();
            if (name.Length == 0 && char.IsDigit(ch))
            {
                while (Peek() != Eof && char.IsDigit((char)Peek()))
                {
                    name.Append((char)Next());
                }
                return name.ToString();
            }
            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
            {
                return ((char)Next()).ToString();
            }
            if (!char.IsLetter(ch) && !char.IsDigit(ch) && ch != '_')
            {
                break;
            }
            name.Append((char)Next());
        }
        return name.ToString();
    }

    private (string Value, bool Set) Lookup(string name) =>
        _variables.TryGetValue(name, out var value) ? (value, true) : ("", false);

    /// <summary>A space splits words outside quotes; quoted text and escaped characters never split.</summary>
    private sealed class WordSplitter
    {
        private readonly StringBuilder _buffer = new();
        private readonly List<string> _words = [];
        private bool _inWord;

        public void Add(char ch)
        {
            if (char.IsWhiteSpace(ch))
            {
                if (_inWord && _buffer.Length != 0)
                {
                    _words.Add(_buffer.ToString());
                    _buffer.Clear();
                    _inWord = false;
                }
            }
            else
            {
                AddRaw(ch);
            }
        }

        public void AddRaw(char ch)
        {
            _buffer.Append(ch);
            _inWord = true;
        }

        public void AddRaw(string text)
        {
            _buffer.Append(text);
            _inWord = true;
        }

        public void AddSplitting(string text)
        {
            foreach (var ch in text)
            {
                Add(ch);
            }
        }

        public List<string> Finish()
        {
            if (_buffer.Length > 0)
            {
                _words.Add(_buffer.ToString());
                _buffer.Clear();
                _inWord = false;
            }
            return _words;
        }
    }
}

/// <summary>A word the shell lexer rejects; the message is Docker's.</summary>
internal sealed class ShellWordException(string message) : Exception(message);
