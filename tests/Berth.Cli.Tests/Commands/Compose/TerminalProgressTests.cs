using Berth.Cli.Commands.Compose;

namespace Berth.Cli.Tests.Commands.Compose;

public sealed class TerminalProgressTests
{
    private static string LastFrame(string output) => output[(output.LastIndexOf("\x1b[0G", StringComparison.Ordinal) + 4)..];

    [Fact]
    public void Each_object_has_one_line_redrawn_in_place_with_its_state_and_time()
    {
        var output = new StringWriter();
        using (var progress = new TerminalProgress(output, () => (24, 60), "up", detached: true))
        {
            progress.Event("Network app_default", "Creating");
            progress.Event("Network app_default", "Created");
            progress.Container("app-web-1", "Creating");
            progress.Container("app-web-1", "Started");
        }
        var frame = LastFrame(output.ToString());
        var lines = frame.Split('\n');
        Assert.Equal("[+] up 2/2", lines[0]);
        Assert.StartsWith(" \x1b[32m✔\x1b[0m Network app_default \x1b[32mCreated\x1b[0m ", lines[1]);
        Assert.StartsWith(" \x1b[32m✔\x1b[0m Container app-web-1 \x1b[32mStarted\x1b[0m ", lines[2]);
        // The timer ends at the terminal's right edge.
        Assert.Matches(@"\x1b\[34m\d+\.\ds\x1b\[0m$", lines[1]);
        Assert.Equal(60, lines[1].Replace("\x1b[32m", "").Replace("\x1b[34m", "").Replace("\x1b[0m", "").Length);
        Assert.EndsWith("\x1b[?25h", frame);
    }

    [Fact]
    public void A_second_frame_moves_up_over_the_first_and_attached_up_leaves_out_started()
    {
        var output = new StringWriter();
        using (var progress = new TerminalProgress(output, () => (24, 80), "up", detached: false))
        {
            progress.Container("app-web-1", "Creating");
            progress.Draw();
            progress.Container("app-web-1", "Started");
        }
        var text = output.ToString();
        Assert.Contains("\x1b[2A", text);
        Assert.Contains("Creating", LastFrame(text));
        Assert.DoesNotContain("Started", text);
    }
}
