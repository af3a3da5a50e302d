using Berth.Runtime.State;

namespace Berth.Runtime.Tests.Lifecycle;

public sealed class ProcStatTests
{
    [Fact]
    public void Command_names_with_spaces_and_parentheses_do_not_shift_the_fields()
    {
        var line = "123 (a) (b c) S 1 123 123 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200";
        Assert.Equal(new ProcStat('S', 987654), ProcStat.Parse(line));
    }

    [Fact]
    public void Our_own_process_is_alive_and_a_different_start_time_is_not()
    {
        var self = ProcStat.Read(Environment.ProcessId)!.Value;
        Assert.True(ProcStat.IsAlive(Environment.ProcessId, self.StartTime));
        Assert.False(ProcStat.IsAlive(Environment.ProcessId, self.StartTime + 1));
        Assert.False(ProcStat.IsAlive(0, 0));
    }
}
