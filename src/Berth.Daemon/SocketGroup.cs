using System.Globalization;

namespace Berth.Daemon;

/// <summary>The group of the API's UNIX sockets, looked up as dockerd does: a group name, else a numeric id.</summary>
internal static class SocketGroup
{
    /// <summary>The gid of <paramref name="nameOrId"/> in <paramref name="groupFile"/>, or the number itself; null when neither.</summary>
    public static uint? Lookup(string nameOrId, string groupFile = "/etc/group")
    {
        if (File.Exists(groupFile))
            foreach (var line in File.ReadLines(groupFile))
                if (line.Split(':') is [var name, _, var gid, ..] && name == nameOrId && uint.TryParse(gid, CultureInfo.InvariantCulture, out var id))
                    return id;
        return uint.TryParse(nameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}
