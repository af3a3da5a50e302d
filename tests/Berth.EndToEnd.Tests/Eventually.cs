namespace Berth.EndToEnd.Tests;

/// <summary>Bounded waits for a condition a test expects to become true.</summary>
public static class Eventually
{
    public static void WaitFor(Func<bool> condition, int seconds = 20, string what = "condition")
    {
        for (var i = 0; i < seconds * 10; i++)
        {
            if (condition()) return;
            Thread.Sleep(100);
        }
        Assert.Fail($"{what} not met in {seconds} s");
    }
}
