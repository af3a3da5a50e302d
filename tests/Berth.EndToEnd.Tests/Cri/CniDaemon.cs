namespace Berth.EndToEnd.Tests.Cri;

/// <summary>
/// A CRI daemon whose pods are networked through Debian's CNI plugins (<c>/usr/lib/cni</c>) with a configuration of
/// its own: a private bridge and a 10.x subnet no other test uses, host-local addresses kept in its own directory, no
/// masquerading, and portmap for host ports. Disposing removes the pods, then the bridge the plugin made and
/// portmap's shared chains when it made them.
/// </summary>
public sealed class CniDaemon : CriDaemon
{
    private static readonly string s_confDir = Path.Combine(System.IO.Directory.CreateTempSubdirectory("berth-cni-").FullName);

    private readonly bool _portmapChainsBefore = HostNetworks.PortmapChainsExist();

    public CniDaemon() : base(["--cni-conf-dir", Configure()])
    {
    }

    public static string BridgeName { get; } = $"bcri{Environment.ProcessId % 10000:x4}";
    public static string Subnet => "10.203.77.0/24";
    public static string IpamDirectory => Path.Combine(s_confDir, "ipam");

    private static string Configure()
    {
        File.WriteAllText(Path.Combine(s_confDir, "10-test.conflist"), $$"""
            {
              "cniVersion": "1.0.0",
              "name": "berth-test",
              "plugins": [
                {
                  "type": "bridge", "bridge": "{{BridgeName}}", "isGateway": true, "ipMasq": false,
                  "ipam": { "type": "host-local", "dataDir": "{{IpamDirectory}}", "ranges": [[{ "subnet": "{{Subnet}}" }]] }
                },
                { "type": "portmap", "capabilities": { "portMappings": true } },
                { "type": "loopback" }
              ]
            }
            """);
        return s_confDir;
    }

    public override void Dispose()
    {
        try
        {
            base.Dispose();
        }
        finally
        {
            HostNetworks.RemoveBridge(BridgeName);
            if (!_portmapChainsBefore) HostNetworks.RemovePortmapChains();
            System.IO.Directory.Delete(s_confDir, recursive: true);
        }
    }
}
