using System.Text;
using Berth.Oci.Image;

namespace Berth.Build;

/// <summary>
/// A config as one canonical string (fields in a fixed order, map keys sorted): two configs are the same for the
/// build cache when their keys are equal, whatever order their maps were filled in.
/// </summary>
public static class ConfigKey
{
    public static string Of(ImageRuntimeConfig? c)
    {
        if (c is null) return "";
        var key = new StringBuilder();
        Field(key, "User", c.User);
        Field(key, "ExposedPorts", c.ExposedPorts?.Keys.Order(StringComparer.Ordinal));
        Field(key, "Env", c.Env);
        Field(key, "Entrypoint", c.Entrypoint);
        Field(key, "Cmd", c.Cmd);
        Field(key, "Volumes", c.Volumes?.Keys.Order(StringComparer.Ordinal));
        Field(key, "WorkingDir", c.WorkingDir);
        Field(key, "Labels", c.Labels?.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value));
        Field(key, "StopSignal", c.StopSignal);
        Field(key, "OnBuild", c.OnBuild);
        Field(key, "Shell", c.Shell);
        if (c.Healthcheck is { } h)
        {
            Field(key, "Healthcheck", h.Test);
            Field(key, "HealthTimes", [h.Interval?.ToString() ?? "", h.Timeout?.ToString() ?? "", h.StartPeriod?.ToString() ?? "",
                h.StartInterval?.ToString() ?? "", h.Retries?.ToString() ?? ""]);
        }
        return key.ToString();
    }

    private static void Field(StringBuilder key, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        key.Append(name).Append(':').Append(value.Length).Append(':').Append(value).Append('\n');
    }

    private static void Field(StringBuilder key, string name, IEnumerable<string>? values)
    {
        if (values is null) return;
        var list = values.ToList();
        if (list.Count == 0) return;
        key.Append(name).Append('[');
        foreach (var value in list) key.Append(value.Length).Append(':').Append(value);
        key.Append("]\n");
    }
}
