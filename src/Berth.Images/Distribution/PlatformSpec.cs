using Berth.Oci.Image;

namespace Berth.Images.Distribution;

/// <summary>
/// A platform as <c>--platform</c> writes it (<c>os/arch[/variant]</c>), normalised as containerd's matcher does
/// (<c>x86_64</c> is amd64, <c>aarch64</c> arm64, arm64's default variant v8), and matched against index entries.
/// </summary>
internal sealed record PlatformSpec(string Os, string Architecture, string? Variant)
{
    public static PlatformSpec Parse(string value)
    {
        var parts = value.ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw ImageException.Invalid($"\"{value}\": unknown operating system or architecture: invalid argument");
        var architecture = parts[1] switch { "x86_64" or "x86-64" => "amd64", "aarch64" => "arm64", "i386" => "386", var a => a };
        return new PlatformSpec(parts[0], architecture, NormalVariant(architecture, parts.Length == 3 ? parts[2] : null));
    }

    /// <summary>The entry for this platform: an exact variant first, then (no variant asked) the first of the architecture.</summary>
    public Descriptor? Pick(IEnumerable<Descriptor> entries)
    {
        var candidates = entries.Where(e => e.Platform is { } p && p.Os == Os && p.Architecture == Architecture).ToList();
        return candidates.FirstOrDefault(e => NormalVariant(Architecture, e.Platform!.Variant) == Variant)
            ?? (Variant is null || (Architecture, Variant) is ("arm64", "v8") ? candidates.FirstOrDefault() : null);
    }

    public override string ToString() => $"{Os}/{Architecture}" + (Variant is null ? "" : "/" + Variant);

    private static string? NormalVariant(string architecture, string? variant) => (architecture, variant) switch
    {
        ("arm64", null or "8") => "v8",
        ("arm", "7") => "v7",
        (_, "") => null,
        _ => variant,
    };
}
