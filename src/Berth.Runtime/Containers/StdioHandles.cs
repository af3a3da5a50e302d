using System.Runtime.InteropServices;

namespace Berth.Runtime.Containers;

/// <summary>
/// What a spawned stage gets as descriptors 0, 1 and 2 (and so the user's program after it, unless it has a terminal).
/// The handles stay the caller's: the runtime duplicates them into the child and closes nothing.
/// </summary>
public sealed record StdioHandles(SafeHandle In, SafeHandle Out, SafeHandle Err)
{
    internal void AddTo(Dictionary<int, SafeHandle> fds)
    {
        fds[0] = In;
        fds[1] = Out;
        fds[2] = Err;
    }
}
