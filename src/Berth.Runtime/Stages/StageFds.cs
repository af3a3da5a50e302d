namespace Berth.Runtime.Stages;

/// <summary>The descriptor numbers a stage process is started with (the parent dup2s its ends onto these).</summary>
public static class StageFds
{
    public const int FromParent = 3;
    public const int ToParent = 4;
    /// <summary>init only: the exec fifo (O_PATH), opened for writing to wait for <c>start</c>.</summary>
    public const int ExecFifo = 5;
    /// <summary>When the process has a terminal: the console socket the pty master is sent over.</summary>
    public const int ConsoleSocket = 6;
    /// <summary>exec only: the container's mount namespace, joined by the stage itself.</summary>
    public const int MountNamespace = 7;
}
