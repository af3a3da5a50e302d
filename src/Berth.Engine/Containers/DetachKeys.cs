namespace Berth.Engine.Containers;

/// <summary>
/// The key sequence that detaches a client from a container's or an exec's stdin, written as Docker writes it:
/// comma-separated keys, each a single character, <c>ctrl-@</c> to <c>ctrl-_</c> (ctrl-a is 1), or <c>DEL</c>.
/// </summary>
public static class DetachKeys
{
    public const string Default = "ctrl-p,ctrl-q";

    private const string Controls = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    /// <summary>The bytes of <paramref name="keys"/> (<see cref="Default"/> when empty), or Docker's refusal.</summary>
    public static byte[] Parse(string? keys)
    {
        if (string.IsNullOrEmpty(keys)) keys = Default;
        var bytes = new List<byte>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length == 1) bytes.Add((byte)key[0]);
            else if (key == "DEL") bytes.Add(127);
            else if (key.Length == 6 && key.StartsWith("ctrl-", StringComparison.Ordinal) && Controls.IndexOf(key[5]) is >= 0 and var code)
                bytes.Add((byte)code);
            else throw new EngineException(ErrorKind.InvalidArgument, $"Invalid detach keys ({keys}) provided");
        }
        return [.. bytes];
    }
}
