namespace Berth.Testing;

/// <summary>Waits for a condition, never for a time: polls until it holds, and fails naming it when it never does.</summary>
public static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Returns as soon as <paramref name="condition"/> holds; fails the test after <paramref name="seconds"/>.</summary>
    public static void Until(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what}: not reached in {seconds} s");
            Thread.Sleep(Poll);
        }
    }
}
