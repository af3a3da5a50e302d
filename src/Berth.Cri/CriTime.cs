namespace Berth.Cri;

/// <summary>The CRI's times: nanoseconds since the Unix epoch; 0 for a time that never happened.</summary>
internal static class CriTime
{
    public static long Now() => Nanoseconds(DateTime.UtcNow);

    public static long Nanoseconds(DateTime time) =>
        time <= DateTime.UnixEpoch ? 0 : (time.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100;
}
