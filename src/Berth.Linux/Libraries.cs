namespace Berth.Linux;

/// <summary>
/// The shared objects Berth binds to, by their exact sonames. A bare "libc" makes the runtime probe a dozen paths on
/// every first call of each function (Debian's libc.so is a linker script, then lib*libc*.so everywhere): milliseconds
/// on every container start.
/// </summary>
internal static class Libraries
{
    public const string Libc = "libc.so.6";
    public const string Seccomp = "libseccomp.so.2";
}
