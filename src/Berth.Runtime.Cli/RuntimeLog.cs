using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Cli;

/// <summary>runc's --log / --log-format: one record per line, text or JSON ({"level","msg","time"}), appended.</summary>
public sealed class RuntimeLog(string? path, bool json)
{
    public void Warn(string message) => Write("warning", message);

    public void Error(string message) => Write("error", message);

    private void Write(string level, string message)
    {
        if (path is null) return; // errors reach stderr anyway; warnings only matter to whoever keeps a log
        var time = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
        string line;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("level", level);
                writer.WriteString("msg", message);
                writer.WriteString("time", time);
                writer.WriteEndObject();
            }
            line = Encoding.UTF8.GetString(buffer.ToArray());
        }
        else
        {
            line = $"time=\"{time}\" level={level} msg=\"{message.Replace("\"", "\\\"")}\"";
        }
        try
        {
            File.AppendAllText(path, line + "\n");
        }
        catch (IOException)
        {
            // A log that cannot be written must not turn success into failure.
        }
    }
}
