using System.Text;

namespace Berth.Compose.Loading;

/// <summary>
/// Splits <c>command: echo "a b"</c> into words as Compose does (POSIX shell quoting without expansion): single
/// quotes literal, double quotes with backslash escapes, a backslash escaping the next character outside quotes.
/// </summary>
public static class ShellWords
{
    public static List<string> Split(string text, string file, string path)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\\' && i + 1 < text.Length)
                word.Append(text[++i]);
            else if (c is '\'' or '"')
                i = Quoted(text, i, word, file, path);
            else
                word.Append(c);
        }
        if (inWord)
            words.Add(word.ToString());
        return words;
    }

    private static int Quoted(string text, int open, StringBuilder word, string file, string path)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] == quote)
                return i;
            if (quote == '"' && text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                i++;
            word.Append(text[i]);
        }
        throw new ComposeException(file, path, $"invalid command line string: {text}");
    }
}
