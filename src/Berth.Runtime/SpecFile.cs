using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Runtime;

/// <summary>Reads a bundle's config.json.</summary>
public static class SpecFile
{
    public static Spec Load(string bundle) => Load(bundle, out _);

    /// <summary>Also returns the file's bytes, which the runtime keeps in its state as they were.</summary>
    public static Spec Load(string bundle, out byte[] json)
    {
        var path = Path.Combine(bundle, "config.json");
        try
        {
            json = File.ReadAllBytes(path);
            return SpecReader.Read(json);
        }
        catch (FileNotFoundException)
        {
            throw new RuntimeException($"JSON specification file config.json not found in {bundle}");
        }
        catch (JsonException e)
        {
            throw new RuntimeException($"{path}: {e.Message}", e);
        }
    }
}
