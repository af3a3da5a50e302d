using System.Globalization;
using E = Berth.Engine.Volumes;
using W = Berth.Api.Models.Volumes;

namespace Berth.Api.Server.Compat;

/// <summary>The engine's volumes as Docker's <c>Volume</c>.</summary>
public static class VolumeMapper
{
    public static W.Volume ToWire(E.Volume v) => new()
    {
        Name = v.Name,
        Driver = v.Driver,
        Mountpoint = v.Mountpoint,
        CreatedAt = Time(v.CreatedAt),
        Labels = new Dictionary<string, string>(v.Labels),
        Scope = "local",
        Options = new Dictionary<string, string>(v.Options),
    };

    /// <summary>moby prints a volume's creation time as RFC 3339 in seconds.</summary>
    public static string Time(DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
