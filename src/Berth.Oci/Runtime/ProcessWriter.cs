using System.Text.Json;

namespace Berth.Oci.Runtime;

/// <summary>
/// Writes a spec's <c>process</c> object by hand, the counterpart of <see cref="SpecReader"/> for the one part the runtime
/// writes on a hot path (every exec); the source-generated metadata would cost milliseconds on each cold start.
/// </summary>
public static class ProcessWriter
{
    public static void Write(Utf8JsonWriter w, Process p)
    {
        w.WriteStartObject();
        w.WriteBoolean("terminal", p.Terminal);
        if (p.ConsoleSize is { } size)
        {
            w.WriteStartObject("consoleSize");
            w.WriteNumber("height", size.Height);
            w.WriteNumber("width", size.Width);
            w.WriteEndObject();
        }
        w.WriteStartObject("user");
        w.WriteNumber("uid", p.User.Uid);
        w.WriteNumber("gid", p.User.Gid);
        if (p.User.Umask is { } umask) w.WriteNumber("umask", umask);
        if (p.User.AdditionalGids is { } gids) Array(w, "additionalGids", gids, (x, g) => x.WriteNumberValue(g));
        if (p.User.Username is { } username) w.WriteString("username", username);
        w.WriteEndObject();
        Strings(w, "args", p.Args);
        Strings(w, "env", p.Env);
        w.WriteString("cwd", p.Cwd);
        if (p.Capabilities is { } caps)
        {
            w.WriteStartObject("capabilities");
            Strings(w, "bounding", caps.Bounding);
            Strings(w, "effective", caps.Effective);
            Strings(w, "inheritable", caps.Inheritable);
            Strings(w, "permitted", caps.Permitted);
            Strings(w, "ambient", caps.Ambient);
            w.WriteEndObject();
        }
        if (p.Rlimits is { } rlimits)
        {
            Array(w, "rlimits", rlimits, (x, r) =>
            {
                x.WriteStartObject();
                x.WriteString("type", r.Type);
                x.WriteNumber("hard", r.Hard);
                x.WriteNumber("soft", r.Soft);
                x.WriteEndObject();
            });
        }
        w.WriteBoolean("noNewPrivileges", p.NoNewPrivileges);
        if (p.ApparmorProfile is { } apparmor) w.WriteString("apparmorProfile", apparmor);
        if (p.OomScoreAdj is { } oom) w.WriteNumber("oomScoreAdj", oom);
        if (p.SelinuxLabel is { } label) w.WriteString("selinuxLabel", label);
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, List<string>? values)
    {
        if (values is not null) Array(w, name, values, (x, v) => x.WriteStringValue(v));
    }

    private static void Array<T>(Utf8JsonWriter w, string name, List<T> values, Action<Utf8JsonWriter, T> write)
    {
        w.WriteStartArray(name);
        foreach (var value in values) write(w, value);
        w.WriteEndArray();
    }
}
