using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Runtime.State;

/// <summary>
/// state.json, written and read by hand: it is on the path of every runtime command, and the source-generated metadata
/// for the whole spec would cost milliseconds on each cold start. The spec is kept as the bundle's config.json, verbatim.
/// </summary>
internal static class ContainerRecordJson
{
    public static void Write(Stream stream, ContainerRecord record)
    {
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteNumber("pid", record.Pid);
        writer.WriteNumber("pidStartTime", record.PidStartTime);
        writer.WriteString("bundle", record.Bundle);
        writer.WriteString("rootfs", record.Rootfs);
        writer.WriteString("created", record.Created);
        writer.WriteString("owner", record.Owner);
        writer.WriteString("cgroupsPath", record.CgroupsPath);
        writer.WriteBoolean("ownPidNamespace", record.OwnPidNamespace);
        writer.WritePropertyName("config");
        writer.WriteRawValue(record.Config);
        writer.WriteEndObject();
    }

    public static ContainerRecord Read(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var config = root.GetProperty("config");
        return new ContainerRecord
        {
            Id = root.GetProperty("id").GetString()!,
            Pid = root.GetProperty("pid").GetInt32(),
            PidStartTime = root.GetProperty("pidStartTime").GetUInt64(),
            Bundle = root.GetProperty("bundle").GetString()!,
            Rootfs = root.GetProperty("rootfs").GetString()!,
            Created = root.GetProperty("created").GetDateTime(),
            Owner = root.GetProperty("owner").GetString()!,
            CgroupsPath = root.GetProperty("cgroupsPath").GetString()!,
            OwnPidNamespace = root.GetProperty("ownPidNamespace").GetBoolean(),
            Config = System.Text.Encoding.UTF8.GetBytes(config.GetRawText()),
        };
    }
}
