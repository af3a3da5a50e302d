using System.Text;

namespace Berth.Dockerfile;

/// <summary>One instruction's text: its physical lines joined (continuations and comment lines removed) and its heredocs.</summary>
internal sealed record LogicalLine(int StartLine, int EndLine, string Text, IReadOnlyList<Heredoc> Heredocs);

/// <summary>
/// Turns a Dockerfile's text into logical lines as BuildKit's parser does: directives first, comments dropped,
/// a line ending with the escape token continued on the next (comment lines and empty lines inside a continuation are
/// skipped; the empty ones give a warning), then the bodies of the line's heredocs.
/// </summary>
internal sealed class DockerfileReader
{
    private readonly string[] _lines;
    private readonly ParserDirectives _directives;
    private readonly List<DockerfileWarning> _warnings = [];
    private int _next;
    private int _lineNumber;

    private DockerfileReader(string text, ParserDirectives directives, int firstLine)
    {
        _lines = SplitKeepingNewlines(text);
        _directives = directives;
        _lineNumber = firstLine - 1;
    }

    public static (List<LogicalLine> Lines, IReadOnlyList<DockerfileWarning> Warnings) Read(
        string text, ParserDirectives directives, int firstLine = 1)
    {
        var reader = new DockerfileReader(text, directives, firstLine);
        var lines = new List<LogicalLine>();
        while (reader.ReadLogicalLine() is { } line)
        {
            lines.Add(line);
        }
        return (lines, reader._warnings);
    }

    private char Escape => _directives.EscapeToken;

    private bool TryNext(out string raw)
    {
        if (_next >= _lines.Length)
        {
            raw = "";
            return false;
        }
        raw = _lines[_next++];
        return true;
    }

    private LogicalLine? ReadLogicalLine()
    {
        while (TryNext(out var raw))
        {
            if (_lineNumber == 0 && raw.StartsWith('\uFEFF'))
            {
                raw = raw[1..];
            }
            var line = ProcessLine(raw, stripLeft: true);
            _lineNumber++;
            var startLine = _lineNumber;
            var continued = TrimContinuation(ref line);
            if (!continued && line.Length == 0)
            {
                continue;
            }
            var text = new StringBuilder(line);
            var emptyContinuation = false;
            while (continued && TryNext(out raw))
            {
                line = ProcessLine(raw, stripLeft: false);
                _lineNumber++;
                if (IsComment(raw))
                {
                    continue;
                }
                if (line.TrimStart().Length == 0)
                {
                    emptyContinuation = true;
                    continue;
                }
                continued = TrimContinuation(ref line);
                text.Append(line);
            }
            var joined = text.ToString();
            if (emptyContinuation)
            {
                _warnings.Add(new DockerfileWarning(_lineNumber, "Empty continuation line found in: " + joined));
            }
            var heredocs = ReadHeredocs(joined, startLine);
            return new LogicalLine(startLine, _lineNumber, joined, heredocs);
        }
        return null;
    }

    private string ProcessLine(string raw, bool stripLeft)
    {
        var line = raw.TrimEnd('\r', '\n');
        if (stripLeft)
        {
            line = line.TrimStart();
        }
        _directives.TryRead(line, _lineNumber + 1);
        return IsComment(line) ? "" : line;
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    /// <summary>
    /// Removes a trailing escape token (and the blanks after it) that continues the line. An escape token after
    /// another is an escaped one and ends the line, as in BuildKit's pattern.
    /// </summary>
    private bool TrimContinuation(ref string line)
    {
        var end = line.TrimEnd(' ', '\t');
        if (end.Length == 0 || end[^1] != Escape || (end.Length > 1 && end[^2] == Escape))
        {
            return false;
        }
        line = end[..^1];
        return true;
    }

    private List<Heredoc> ReadHeredocs(string line, int startLine)
    {
        var heredocs = new List<Heredoc>();
        if (!line.Contains("<<", StringComparison.Ordinal) || !CommandSplitter.CanContainHeredoc(line, Escape))
        {
            return heredocs;
        }
        foreach (var heredoc in HeredocWords.FromLine(line, startLine))
        {
            var content = new StringBuilder();
            var terminated = false;
            while (TryNext(out var raw))
            {
                _lineNumber++;
                var candidate = raw.TrimEnd('\r', '\n');
                if ((heredoc.StripTabs ? candidate.TrimStart('\t') : candidate) == heredoc.Name)
                {
                    terminated = true;
                    break;
                }
                content.Append(raw);
            }
            if (!terminated)
            {
                throw new DockerfileException(startLine, "unterminated heredoc", isSyntaxError: true);
            }
            heredocs.Add(heredoc with { Content = content.ToString() });
        }
        return heredocs;
    }

    private static string[] SplitKeepingNewlines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return [.. lines];
    }
}
