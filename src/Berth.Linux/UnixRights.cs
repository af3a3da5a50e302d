using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Linux;

/// <summary>Passing a descriptor over a UNIX socket (SCM_RIGHTS), as runc hands a console's master over <c>--console-socket</c>.</summary>
public static unsafe partial class UnixRights
{
    private const int SolSocket = 1, ScmRights = 1, CmsgSpace = 24, CmsgLen = 20, MsgCmsgCloexec = 0x40000000;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>Sends <paramref name="fd"/> with <paramref name="name"/> as the message body (runc sends the pty's path).</summary>
    public static void Send(SafeHandle socket, SafeHandle fd, string name)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(name.Length == 0 ? "\0" : name);
        var control = stackalloc byte[CmsgSpace];
        new Span<byte>(control, CmsgSpace).Clear();
        *(nuint*)control = CmsgLen;
        *(int*)(control + 8) = SolSocket;
        *(int*)(control + 12) = ScmRights;
        *(int*)(control + 16) = (int)fd.DangerousGetHandle();
        fixed (byte* b = body)
        {
            var iov = new IoVec { Base = b, Length = (nuint)body.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = CmsgSpace };
            if (sendmsg((int)socket.DangerousGetHandle(), &msg, 0) == -1) throw LinuxException.FromLastError("sendmsg", "console socket");
        }
    }

    /// <summary>Receives one descriptor (close-on-exec) and the message body sent with it.</summary>
    public static (SafeFileHandle Fd, string Name) Receive(SafeHandle socket)
    {
        var body = stackalloc byte[4096];
        var control = stackalloc byte[CmsgSpace];
        var iov = new IoVec { Base = body, Length = 4096 };
        var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = CmsgSpace };
        nint n;
        do n = recvmsg((int)socket.DangerousGetHandle(), &msg, MsgCmsgCloexec);
        while (n == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        if (n == -1) throw LinuxException.FromLastError("recvmsg", "console socket");
        if (msg.ControlLength < CmsgLen || *(int*)(control + 12) != ScmRights)
            throw new IOException("no file descriptor received over the console socket");
        var name = System.Text.Encoding.UTF8.GetString(body, (int)n).TrimEnd('\0');
        return (new SafeFileHandle(*(int*)(control + 16), true), name);
    }

    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial nint sendmsg(int fd, MsgHdr* msg, int flags);
    [LibraryImport(Libraries.Libc, SetLastError = true)] private static partial nint recvmsg(int fd, MsgHdr* msg, int flags);
}
