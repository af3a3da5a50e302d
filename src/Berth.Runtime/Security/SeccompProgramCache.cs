using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux.Seccomp;

namespace Berth.Runtime.Security;

/// <summary>
/// Compiled seccomp programs, kept by the hash of what they were compiled from. libseccomp needs ~40 ms to compile
/// Docker's default profile, and every start and every exec of such a container would pay it; the program it gives is
/// the same each time for the same profile, libseccomp, kernel and runtime binary, so it is compiled once and read back.
/// <code>
/// &lt;runtime root&gt;/seccomp/&lt;sha256&gt;.bpf   u32 load flags · u8 patched · then 8-byte sock_filter instructions
/// </code>
/// A missing, unreadable or malformed entry is never an error: the program is compiled again (and stored again).
/// </summary>
public static class SeccompProgramCache
{
    /// <summary>Where stages spawned by a runtime of an older version (which name no cache) keep their programs.</summary>
    public const string DefaultDirectory = "/run/berth/seccomp";

    /// <summary>The cache of the runtime whose state root is <paramref name="runtimeRoot"/> (berthd's: under its exec root).</summary>
    public static string DirectoryIn(string runtimeRoot) => Path.Combine(runtimeRoot, "seccomp");

    public static SeccompProgram Build(SeccompProfile profile, string directory)
    {
        var path = Path.Combine(directory, Key(profile) + ".bpf");
        if (TryRead(path) is { } cached) return cached;
        var program = profile.Build();
        TryWrite(path, program);
        return program;
    }

    private static string Key(SeccompProfile profile)
    {
        var text = new StringBuilder()
            .Append("libseccomp ").Append(SeccompLibrary.Version).Append('\n')
            .Append("kernel ").Append(File.ReadAllText("/proc/sys/kernel/osrelease").Trim()).Append('\n')
            .Append("runtime ").Append(RuntimeBinaryStamp()).Append('\n')
            .Append(profile.Describe());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>A changed runtime binary may build programs differently (the ENOSYS stub): its size and time are in the key.</summary>
    private static string RuntimeBinaryStamp()
    {
        var info = new FileInfo(Environment.ProcessPath ?? "");
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "unknown";
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Only an entry in a directory that nobody but its owner can write is trusted: a planted program would disarm the filter.</summary>
    private static SeccompProgram? TryRead(string path)
    {
        byte[] bytes;
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(directory) || (File.GetUnixFileMode(directory) & ~UnixFileMode.UserRead & ~UnixFileMode.UserWrite & ~UnixFileMode.UserExecute) != 0)
                return null;
            if ((File.GetUnixFileMode(path) & WritableByOthers) != 0) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        if (bytes.Length < 5 || (bytes.Length - 5) % 8 != 0) return null;
        var instructions = new BpfInstruction[(bytes.Length - 5) / 8];
        for (var i = 0; i < instructions.Length; i++)
        {
            var at = bytes.AsSpan(5 + i * 8, 8);
            instructions[i] = new BpfInstruction(BinaryPrimitives.ReadUInt16LittleEndian(at), at[2], at[3], BinaryPrimitives.ReadUInt32LittleEndian(at[4..]));
        }
        return new SeccompProgram(instructions, (SeccompLoadFlags)BinaryPrimitives.ReadUInt32LittleEndian(bytes), bytes[4] != 0);
    }

    private static void TryWrite(string path, SeccompProgram program)
    {
        var bytes = new byte[5 + program.Instructions.Count * 8];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)program.Flags);
        bytes[4] = program.Patched ? (byte)1 : (byte)0;
        for (var i = 0; i < program.Instructions.Count; i++)
        {
            var instruction = program.Instructions[i];
            var at = bytes.AsSpan(5 + i * 8, 8);
            BinaryPrimitives.WriteUInt16LittleEndian(at, instruction.Code);
            at[2] = instruction.JumpTrue;
            at[3] = instruction.JumpFalse;
            BinaryPrimitives.WriteUInt32LittleEndian(at[4..], instruction.K);
        }
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            // Stages run with umask 0: every mode is given explicitly.
            Directory.CreateDirectory(Path.GetDirectoryName(directory)!, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Directory.CreateDirectory(directory, OwnerOnly);
            using (var stream = new FileStream(temp, new FileStreamOptions
                   {
                       Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
            {
                stream.Write(bytes);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp); // a cache that cannot be written only costs the next compile
        }
    }
}
