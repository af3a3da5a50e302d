using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Berth.Volumes;

/// <summary>Docker's rules for local volume names, and the names of anonymous volumes.</summary>
public static partial class VolumeNames
{
    /// <summary>moby's <c>RestrictedNameChars</c>, quoted in its error.</summary>
    public const string RestrictedNameChars = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    /// <summary>An anonymous volume's name: 64 random hex digits, as a Docker id.</summary>
    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Refuses a name the local driver cannot hold, with moby's texts.</summary>
    public static void Validate(string name)
    {
        if (name.Length == 1)
            throw new VolumeException("volume name is too short, names should be at least two alphanumeric characters", true);
        if (!Valid().IsMatch(name))
            throw new VolumeException(
                $"\"{name}\" includes invalid characters for a local volume name, only \"{RestrictedNameChars}\" are allowed. If you intended to pass a host directory, use absolute path",
                true);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Valid();
}
