using System.Text;
using System.Text.RegularExpressions;
using Berth.Shim;

namespace Berth.Privileged.Tests.Shim;

/// <summary>The shim's log in the Kubernetes CRI's format (<c>--cri-log</c>), as kubelet and crictl parse it. Needs no root.</summary>
public sealed partial class CriLogFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cri-log-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Each_line_is_a_time_the_stream_a_full_or_partial_tag_and_the_text_without_its_newline()
    {
        var path = Path.Combine(_dir, "0.log");
        using (var log = JsonLog.Open(path, cri: true))
        {
            var (stdout, stderr) = (new ByteQueue(), new ByteQueue());
            log.Write(false, stdout, "hello \"world\"\nsecond"u8);
            log.Write(true, stderr, "oops\n"u8);
            log.Write(false, stdout, " half\n"u8);
            log.Write(false, stdout, Encoding.ASCII.GetBytes(new string('x', JsonLog.MaxLine)));
            log.Flush(false, stdout);
            log.Write(false, stdout, "tail"u8);
            log.Flush(false, stdout);
        }

        var lines = File.ReadAllLines(path);
        Assert.All(lines, line => Assert.Matches(CriLine(), line));
        Assert.Equal(["stdout F hello \"world\"", "stderr F oops", "stdout F second half", "stdout P " + new string('x', JsonLog.MaxLine), "stdout F tail"],
            lines.Select(l => l[(l.IndexOf(' ') + 1)..]));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] ")]
    private static partial Regex CriLine();
}
