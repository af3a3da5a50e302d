using System.Text;

namespace Berth.Cli.Templates;

/// <summary>
/// Go's text/tabwriter with no flags, as docker's tables use it (<c>NewWriter(out, 10, 1, 3, ' ', 0)</c>):
/// cells end at '\t', lines at '\n'; consecutive lines with a cell in the same column form a
/// block whose cells are padded to the widest cell plus <c>padding</c>, at least <c>minWidth</c>.
/// The last cell of a line is not padded, and a line without a tab ends every block.
/// Text is buffered until such a line or <see cref="Flush"/>.
/// </summary>
public sealed class TabWriter(TextWriter output, int minWidth = 10, int padding = 3, char padChar = ' ') : TextWriter
{
    private readonly List<List<string>> _lines = [[]];
    private readonly StringBuilder _cell = new();

    public override Encoding Encoding => output.Encoding;

    public override void Write(char value)
    {
        switch (value)
        {
            case '\t':
                _lines[^1].Add(_cell.ToString());
                _cell.Clear();
                break;
            case '\n':
                _lines[^1].Add(_cell.ToString());
                _cell.Clear();
                var cells = _lines[^1].Count;
                _lines.Add([]);
                // A line of one cell does not affect the columns after it: what is buffered can go out.
                if (cells == 1)
                    FlushLines();
                break;
            default:
                _cell.Append(value);
                break;
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
            Write(c);
    }

    public override void Flush()
    {
        if (_cell.Length > 0)
        {
            _lines[^1].Add(_cell.ToString());
            _cell.Clear();
        }
        FlushLines();
        output.Flush();
    }

    private void FlushLines()
    {
        var widths = new List<int>();
        Format(widths, 0, _lines.Count);
        _lines.Clear();
        _lines.Add([]);
    }

    /// <summary>
    /// Lays out lines [line0, line1) whose columns left of widths.Count are known: finds each
    /// block of lines that have a cell in the next column, sizes that column, recurses.
    /// </summary>
    private void Format(List<int> widths, int line0, int line1)
    {
        var column = widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= _lines[current].Count - 1)
                continue;
            WriteLines(widths, line0, current);
            line0 = current;
            var width = minWidth;
            for (; current < line1; current++)
            {
                var line = _lines[current];
                if (column >= line.Count - 1)
                    break;
                width = Math.Max(width, RuneCount(line[column]) + padding);
            }
            widths.Add(width);
            Format(widths, line0, current);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
        }
        WriteLines(widths, line0, line1);
    }

    private void WriteLines(List<int> widths, int line0, int line1)
    {
        for (var i = line0; i < line1; i++)
        {
            var line = _lines[i];
            for (var j = 0; j < line.Count; j++)
            {
                output.Write(line[j]);
                if (j < widths.Count)
                    output.Write(new string(padChar, Math.Max(widths[j] - RuneCount(line[j]), 0)));
            }
            // The last buffered line is still open: it gets its newline when it is finished.
            if (i + 1 < _lines.Count)
                output.Write('\n');
        }
    }

    private static int RuneCount(string s) => s.EnumerateRunes().Count();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Flush();
        base.Dispose(disposing);
    }
}
