using System.Text.Json;
using Berth.Oci.Runtime;

namespace Berth.Oci.Tests;

/// <summary>config.json as runc and Docker write it: the spec's exact field names, unknown fields ignored.</summary>
public sealed class SpecJsonTests
{
    private const string Config = """
        {
          "ociVersion": "1.0.2-dev",
          "process": { "terminal": true, "user": { "uid": 1, "gid": 2, "additionalGids": [3] }, "args": ["sh"],
                       "cwd": "/", "noNewPrivileges": true, "oomScoreAdj": -5,
                       "capabilities": { "bounding": ["CAP_KILL"] }, "rlimits": [ { "type": "RLIMIT_NOFILE", "hard": 10, "soft": 5 } ] },
          "root": { "path": "rootfs", "readonly": true },
          "linux": {
            "resources": { "memory": { "limit": 1024, "swap": -1, "disableOOMKiller": false },
                           "blockIO": { "weight": 300 }, "cpu": { "shares": 512, "quota": -1 } },
            "namespaces": [ { "type": "pid" }, { "type": "network", "path": "/proc/1/ns/net" } ],
            "seccomp": { "defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ { "names": ["read"], "action": "SCMP_ACT_ALLOW",
                         "args": [ { "index": 0, "value": 1, "valueTwo": 0, "op": "SCMP_CMP_EQ" } ] } ] },
            "intelRdt": { "closID": "x" }
          },
          "vm": { "hypervisor": {} }
        }
        """;

    [Fact]
    public void Runc_style_config_reads_every_field_Berth_uses()
    {
        var spec = JsonSerializer.Deserialize(Config, OciJsonContext.Default.Spec)!;
        Assert.Equal([3u], spec.Process!.User.AdditionalGids!);
        Assert.Equal(-5, spec.Process.OomScoreAdj);
        Assert.Equal(10ul, spec.Process.Rlimits![0].Hard);
        Assert.True(spec.Root!.Readonly);
        Assert.Equal(-1, spec.Linux!.Resources!.Memory!.Swap);
        Assert.Equal((ushort)300, spec.Linux.Resources.BlockIO!.Weight);
        Assert.Equal("/proc/1/ns/net", spec.Linux.Namespaces![1].Path);
        Assert.Equal("SCMP_CMP_EQ", spec.Linux.Seccomp!.Syscalls![0].Args![0].Op);
    }

    [Fact]
    public void Written_spec_uses_the_specs_names_and_omits_nulls()
    {
        var json = JsonSerializer.Serialize(JsonSerializer.Deserialize(Config, OciJsonContext.Default.Spec)!, OciJsonContext.Default.Spec);
        Assert.Contains("\"blockIO\"", json);
        Assert.Contains("\"disableOOMKiller\"", json);
        Assert.Contains("\"noNewPrivileges\": true", json);
        Assert.DoesNotContain("\"hostname\"", json);
    }
}
