using Berth.Oci.Runtime;
using Berth.Testing;

namespace Berth.Privileged.Tests.Runtime;

/// <summary>Namespaces, seen from inside the container.</summary>
public sealed class IsolationTests
{
    [PrivilegedFact]
    public void Process_is_pid_1_of_its_own_pid_namespace()
    {
        // exec, not a pipeline: a pipeline's second process may or may not exist yet when ps reads /proc.
        using var bundle = new TestBundle().WithScript("echo $$; exec ps -o pid,comm");
        var lines = bundle.Run().EnsureSuccess("run").Output.Split('\n');
        Assert.Equal("1", lines[0]);
        Assert.StartsWith("PID", lines[1].Trim());
        Assert.Equal(["1 ps"], lines[2..].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))); // nothing of the host
    }

    [PrivilegedFact]
    public void Hostname_and_domainname_are_the_specs()
    {
        using var bundle = new TestBundle().WithScript("hostname; cat /proc/sys/kernel/domainname");
        bundle.Spec.Domainname = "example.test";
        Assert.Equal("probe\nexample.test", bundle.Run().EnsureSuccess("run").Output);
        Assert.NotEqual("probe", File.ReadAllText("/proc/sys/kernel/hostname").Trim());
    }

    [PrivilegedFact]
    public void New_network_namespace_has_only_loopback_and_it_is_up()
    {
        using var bundle = new TestBundle().WithScript("ls /sys/class/net; ip -o link show lo; ping -c 1 -W 1 127.0.0.1 >/dev/null && echo ping-ok");
        bundle.Spec.Process!.Capabilities!.Effective!.Add("CAP_NET_RAW");
        bundle.Spec.Process.Capabilities.Permitted!.Add("CAP_NET_RAW");
        bundle.Spec.Process.Capabilities.Bounding!.Add("CAP_NET_RAW");
        var output = bundle.Run().EnsureSuccess("run").Output;
        Assert.StartsWith("lo\n", output);
        Assert.Contains("UP", output.Split('\n')[1]);
        Assert.EndsWith("ping-ok", output);
    }

    [PrivilegedFact]
    public void Namespaces_can_be_joined_by_path()
    {
        using var first = new TestBundle().WithScript("sleep 60");
        first.WriteConfig();
        first.CliDetached("create", "--bundle", first.Dir, first.Id).EnsureSuccess("create");
        var pid = System.Text.Json.JsonDocument.Parse(first.Cli("state", first.Id).Stdout).RootElement.GetProperty("pid").GetInt32();

        using var second = new TestBundle().WithScript("readlink /proc/self/ns/net; readlink /proc/self/ns/uts; hostname");
        second.Spec.Hostname = null;
        foreach (var ns in second.Spec.Linux!.Namespaces!.Where(n => n.Type is NamespaceTypes.Network or NamespaceTypes.Uts))
            ns.Path = $"/proc/{pid}/ns/{(ns.Type == NamespaceTypes.Network ? "net" : "uts")}";
        var lines = second.Run().EnsureSuccess("run").Output.Split('\n');
        Assert.Equal(new FileInfo($"/proc/{pid}/ns/net").LinkTarget, lines[0]);
        Assert.Equal(new FileInfo($"/proc/{pid}/ns/uts").LinkTarget, lines[1]);
        Assert.Equal("probe", lines[2]);
    }

    [PrivilegedFact]
    public void Sysctls_are_set_inside_the_namespace_only()
    {
        using var bundle = new TestBundle().WithScript("cat /proc/sys/net/ipv4/ip_unprivileged_port_start");
        bundle.Spec.Linux!.Sysctl = new() { ["net.ipv4.ip_unprivileged_port_start"] = "80" };
        Assert.Equal("80", bundle.Run().EnsureSuccess("run").Output);
        Assert.NotEqual("80", File.ReadAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start").Trim());
    }
}
