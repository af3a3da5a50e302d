using System.Text;
using System.Text.Json;
using Berth.Cri.Streaming;
using Berth.Cri.V1;

namespace Berth.Cri.Tests;

public sealed class StreamingTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_token_serves_once_for_a_minute_and_only_its_kind_of_request()
    {
        var clock = new ManualClock();
        var requests = new StreamRequests(clock);
        var exec = new ExecRequest { ContainerId = "c" };

        var once = requests.Add(exec);
        var late = requests.Add(exec);
        var wrongKind = requests.Add(exec);

        Assert.Matches("^[A-Za-z0-9_-]{11}$", once);
        Assert.Same(exec, requests.Take<ExecRequest>(once));
        Assert.Null(requests.Take<ExecRequest>(once));
        Assert.Null(requests.Take<AttachRequest>(wrongKind));
        clock.Now += StreamRequests.Lifetime;
        Assert.Null(requests.Take<ExecRequest>(late));
    }

    [Fact]
    public void A_non_zero_exit_is_kubelets_v4_status_with_the_code_as_its_cause()
    {
        var status = CommandStatus.Exited(["sh", "-c", "exit 3"], 3);

        using var json = JsonDocument.Parse(status.ToJson());
        var root = json.RootElement;
        Assert.Equal(("Failure", "NonZeroExitCode"), (root.GetProperty("status").GetString(), root.GetProperty("reason").GetString()));
        Assert.Equal("command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3", root.GetProperty("message").GetString());
        var cause = Assert.Single(root.GetProperty("details").GetProperty("causes").EnumerateArray());
        Assert.Equal(("ExitCode", "3"), (cause.GetProperty("reason").GetString(), cause.GetProperty("message").GetString()));
        Assert.Equal(status.Message, Encoding.UTF8.GetString(status.ToText()));
    }

    [Fact]
    public void Success_is_a_bare_status_in_v4_and_nothing_before()
    {
        Assert.Equal("""{"metadata":{},"status":"Success"}""", Encoding.UTF8.GetString(CommandStatus.Exited(["true"], 0).ToJson()));
        Assert.Empty(CommandStatus.Succeeded.ToText());
    }

    [Fact]
    public void A_failure_to_run_is_an_internal_error_with_code_500()
    {
        using var json = JsonDocument.Parse(CommandStatus.Failed("error executing command in container: no such file").ToJson());

        Assert.Equal(("InternalError", 500), (json.RootElement.GetProperty("reason").GetString(), json.RootElement.GetProperty("code").GetInt32()));
    }
}
