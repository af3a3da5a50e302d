namespace Berth.Cli.Templates;

internal enum TokenKind
{
    Error, Eof, Text, LeftDelim, RightDelim, LeftParen, RightParen, Pipe, Declare, Assign, Char,
    Space, Bool, CharConstant, Number, String, RawString, Field, Variable, Identifier,
    // Keywords; Go prints them as <name> in errors.
    Dot, Block, Break, Continue, Define, Else, End, If, Nil, Range, Template, With,
}

internal readonly record struct Token(TokenKind Kind, string Value, int Pos, int Line)
{
    public bool IsKeyword => Kind >= TokenKind.Dot;

    /// <summary>How Go's parser names the token in "unexpected X in Y".</summary>
    public override string ToString() => Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Error => Value,
        _ when IsKeyword => $"<{Value}>",
        _ when Value.Length > 10 => GoQuote.String(Value[..10]) + "...",
        _ => GoQuote.String(Value),
    };
}

/// <summary>
/// Splits a template into tokens, following the lexical rules of Go's text/template: text,
/// <c>{{ }}</c> with <c>{{- </c> / <c> -}}</c> trimming the adjacent white space, comments, and
/// the words inside actions. A lexical error ends the token list with an Error token.
/// </summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";

    private static readonly Dictionary<string, TokenKind> Keywords = new()
    {
        ["."] = TokenKind.Dot, ["block"] = TokenKind.Block, ["break"] = TokenKind.Break,
        ["continue"] = TokenKind.Continue, ["define"] = TokenKind.Define, ["else"] = TokenKind.Else,
        ["end"] = TokenKind.End, ["if"] = TokenKind.If, ["nil"] = TokenKind.Nil, ["range"] = TokenKind.Range,
        ["template"] = TokenKind.Template, ["with"] = TokenKind.With,
    };

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _start;
    private int _line = 1;
    private int _startLine = 1;
    private int _parenDepth;

    private Lexer(string input) => _input = input;

    public static List<Token> Tokenize(string input)
    {
        var lexer = new Lexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        var inAction = false;
        while (true)
        {
            var ok = inAction ? LexInsideAction(out inAction) : LexText(out inAction);
            if (!ok)
                return;
        }
    }

    private char Peek(int offset = 0) => _pos + offset < _input.Length ? _input[_pos + offset] : '\0';

    private bool AtEnd => _pos >= _input.Length;

    private void Advance(int count = 1)
    {
        for (var i = 0; i < count && _pos < _input.Length; i++)
            if (_input[_pos++] == '\n')
                _line++;
    }

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _input[_start.._pos], _start, _startLine));
        Ignore();
    }

    private void Ignore()
    {
        _start = _pos;
        _startLine = _line;
    }

    private bool Fail(string message)
    {
        _tokens.Add(new Token(TokenKind.Error, message, _start, _startLine));
        return false;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == '-';

    private bool AtRightDelim(out bool trim)
    {
        trim = HasRightTrimMarker(_pos) && string.CompareOrdinal(_input, _pos + 2, RightDelim, 0, 2) == 0;
        return trim || string.CompareOrdinal(_input, _pos, RightDelim, 0, 2) == 0;
    }

    private void SkipLeadingSpace()
    {
        while (!AtEnd && IsSpace(Peek()))
            Advance();
        Ignore();
    }

    private bool LexText(out bool inAction)
    {
        inAction = false;
        var delim = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
        if (delim < 0)
        {
            Advance(_input.Length - _pos);
            if (_pos > _start)
                Emit(TokenKind.Text);
            _tokens.Add(new Token(TokenKind.Eof, "", _pos, _line));
            return false;
        }
        var textEnd = delim;
        var trim = HasLeftTrimMarker(delim + LeftDelim.Length);
        if (trim)
            while (textEnd > _start && IsSpace(_input[textEnd - 1]))
                textEnd--;
        Advance(textEnd - _pos);
        if (_pos > _start)
            Emit(TokenKind.Text);
        Advance(delim - _pos);
        Ignore();
        return LexLeftDelim(trim, out inAction);
    }

    private bool LexLeftDelim(bool trim, out bool inAction)
    {
        Advance(LeftDelim.Length);
        var afterMarker = trim ? 2 : 0;
        if (string.CompareOrdinal(_input, _pos + afterMarker, "/*", 0, 2) == 0)
        {
            Advance(afterMarker);
            Ignore();
            inAction = false;
            return LexComment();
        }
        Emit(TokenKind.LeftDelim);
        Advance(afterMarker);
        Ignore();
        _parenDepth = 0;
        inAction = true;
        return true;
    }

    private bool LexComment()
    {
        var end = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0)
            return Fail("unclosed comment");
        Advance(end + 2 - _pos);
        if (!AtRightDelim(out var trim))
            return Fail("comment ends before closing delimiter");
        Advance((trim ? 2 : 0) + RightDelim.Length);
        Ignore();
        if (trim)
            SkipLeadingSpace();
        return true;
    }

    private bool LexRightDelim(bool trim, out bool inAction)
    {
        if (trim)
        {
            Advance(2);
            Ignore();
        }
        Advance(RightDelim.Length);
        Emit(TokenKind.RightDelim);
        if (trim)
            SkipLeadingSpace();
        inAction = false;
        return true;
    }

    private bool LexInsideAction(out bool inAction)
    {
        inAction = true;
        if (AtRightDelim(out var trim))
            return _parenDepth == 0 ? LexRightDelim(trim, out inAction) : Fail("unclosed left paren");
        if (AtEnd)
            return Fail("unclosed action");
        var c = Peek();
        switch (c)
        {
            case var _ when IsSpace(c):
                return LexSpace();
            case '=':
                Advance();
                Emit(TokenKind.Assign);
                return true;
            case ':':
                Advance();
                if (Peek() != '=')
                    return Fail("expected :=");
                Advance();
                Emit(TokenKind.Declare);
                return true;
            case '|':
                Advance();
                Emit(TokenKind.Pipe);
                return true;
            case '"':
                return LexQuote('"', TokenKind.String, "unterminated quoted string");
            case '\'':
                return LexQuote('\'', TokenKind.CharConstant, "unterminated character constant");
            case '`':
                return LexRawQuote();
            case '$':
                Advance();
                return LexFieldOrVariable(TokenKind.Variable);
            case '.' when !char.IsAsciiDigit(Peek(1)):
                Advance();
                return LexFieldOrVariable(TokenKind.Field);
            case '.' or '+' or '-' or (>= '0' and <= '9'):
                return LexNumber();
            case var _ when IsAlphaNumeric(c):
                return LexIdentifier();
            case '(':
                Advance();
                Emit(TokenKind.LeftParen);
                _parenDepth++;
                return true;
            case ')':
                Advance();
                Emit(TokenKind.RightParen);
                _parenDepth--;
                return _parenDepth >= 0 || Fail($"unexpected right paren {GoQuote.CodePoint(c)}");
            case var _ when c is > ' ' and < '\x7f':
                Advance();
                Emit(TokenKind.Char);
                return true;
            default:
                return Fail($"unrecognized character in action: {GoQuote.CodePoint(c)}");
        }
    }

    private bool LexSpace()
    {
        var count = 0;
        while (IsSpace(Peek()))
        {
            Advance();
            count++;
        }
        // " -}}" closes the action: its space belongs to the trim marker, not to this token.
        if (HasRightTrimMarker(_pos - 1) && string.CompareOrdinal(_input, _pos + 1, RightDelim, 0, 2) == 0)
        {
            _pos--;
            if (_input[_pos] == '\n')
                _line--;
            if (count == 1)
                return true;
        }
        Emit(TokenKind.Space);
        return true;
    }

    private bool AtTerminator()
    {
        var c = Peek();
        return AtEnd || IsSpace(c) || c is '.' or ',' or '|' or ':' or ')' or '('
            || string.CompareOrdinal(_input, _pos, RightDelim, 0, 2) == 0;
    }

    private bool LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return true;
        }
        while (!AtEnd && IsAlphaNumeric(Peek()))
            Advance();
        if (!AtTerminator())
            return Fail($"bad character {GoQuote.CodePoint(Peek())}");
        Emit(kind);
        return true;
    }

    private bool LexIdentifier()
    {
        while (!AtEnd && IsAlphaNumeric(Peek()))
            Advance();
        if (!AtTerminator())
            return Fail($"bad character {GoQuote.CodePoint(Peek())}");
        var word = _input[_start.._pos];
        Emit(Keywords.TryGetValue(word, out var keyword) ? keyword
            : word is "true" or "false" ? TokenKind.Bool
            : TokenKind.Identifier);
        return true;
    }

    private bool LexQuote(char quote, TokenKind kind, string unterminated)
    {
        Advance();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
                return Fail(unterminated);
            var c = Peek();
            Advance();
            if (c == '\\')
            {
                if (AtEnd || Peek() == '\n')
                    return Fail(unterminated);
                Advance();
            }
            else if (c == quote)
            {
                break;
            }
        }
        Emit(kind);
        return true;
    }

    private bool LexRawQuote()
    {
        var end = _input.IndexOf('`', _pos + 1);
        if (end < 0)
            return Fail("unterminated raw quoted string");
        Advance(end + 1 - _pos);
        Emit(TokenKind.RawString);
        return true;
    }

    private bool LexNumber()
    {
        if (Peek() is '+' or '-')
            Advance();
        const string decimalDigits = "0123456789_";
        var digits = decimalDigits;
        var hex = false;
        if (Peek() == '0' && char.ToLowerInvariant(Peek(1)) is 'x' or 'o' or 'b')
        {
            var prefix = char.ToLowerInvariant(Peek(1));
            hex = prefix == 'x';
            digits = prefix switch { 'x' => "0123456789abcdefABCDEF_", 'o' => "01234567_", _ => "01_" };
            Advance(2);
        }
        AdvanceWhile(digits);
        if (Peek() == '.')
        {
            Advance();
            AdvanceWhile(digits);
        }
        if ((hex ? "pP" : "eE").Contains(Peek()) && (digits == decimalDigits || hex))
        {
            Advance();
            if (Peek() is '+' or '-')
                Advance();
            AdvanceWhile(decimalDigits);
        }
        if (Peek() == 'i')
            Advance();
        if (IsAlphaNumeric(Peek()))
        {
            Advance();
            return Fail($"bad number syntax: {GoQuote.String(_input[_start.._pos])}");
        }
        Emit(TokenKind.Number);
        return true;
    }

    private void AdvanceWhile(string chars)
    {
        while (!AtEnd && chars.Contains(Peek()))
            Advance();
    }
}
