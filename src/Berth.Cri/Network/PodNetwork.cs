using System.Text.Json.Nodes;
using Berth.Cri.V1;

namespace Berth.Cri.Network;

/// <summary>
/// A pod's network through CNI, as kubelet's runtimes do it: ADD through the configured chain when the sandbox's
/// namespace exists, DEL through the same chain (in reverse, with the cached result) when it stops or is removed.
/// What ADD answered is kept per sandbox, so that a DEL after a daemon restart, or after the configuration changed,
/// undoes what was done:
/// <code>
///   &lt;state&gt;/cni/&lt;sandbox-id&gt;.json   {"config": the conflist, "result": ADD's result, "netns": …, "args": CNI_ARGS,
///                                     "capabilities": {"portMappings": […]}}
/// </code>
/// </summary>
internal sealed class PodNetwork(CriOptions options)
{
    public const string InterfaceName = "eth0";

    private readonly CniPlugins _plugins = new(options.CniBinDirectory);

    private string CacheDirectory => Path.Combine(options.StateDirectory, "cni");

    /// <summary>Whether a CNI configuration is there (Status reports NetworkReady from it).</summary>
    public bool IsConfigured => CniConfig.Load(options.CniConfDirectory) is not null;

    /// <summary>Runs ADD through the chain; returns the pod's IP, or null without a CNI configuration (the pod keeps only its loopback).</summary>
    public async Task<string?> SetUpAsync(string sandboxId, string netns, PodSandboxConfig pod, CancellationToken cancellationToken)
    {
        if (CniConfig.Load(options.CniConfDirectory) is not { } config) return null;
        var metadata = pod.Metadata;
        var invocation = new CniInvocation(sandboxId, netns, InterfaceName,
            $"IgnoreUnknown=1;K8S_POD_NAMESPACE={metadata.Namespace};K8S_POD_NAME={metadata.Name};K8S_POD_INFRA_CONTAINER_ID={sandboxId};K8S_POD_UID={metadata.Uid}");
        var capabilities = CapabilityArgs(pod.PortMappings);
        JsonNode? result = null;
        try
        {
            for (var i = 0; i < config.Plugins.Count; i++)
                result = await _plugins.InvokeAsync("ADD", TypeOf(config, i), config.StdinOf(i, result, capabilities), invocation, cancellationToken) ?? result;
        }
        catch
        {
            await DeleteAsync(config, result, capabilities, invocation, CancellationToken.None);
            throw;
        }
        Save(sandboxId, new JsonObject
        {
            ["config"] = config.ToJson(),
            ["result"] = result?.DeepClone(),
            ["netns"] = netns,
            ["args"] = invocation.Args,
            ["capabilities"] = capabilities,
        });
        return IpOf(result);
    }

    /// <summary>
    /// The runtime's side of CNI's capability conventions: the pod's host ports as <c>portMappings</c> (kubelet's
    /// runtimes pass only those with a host port), for the <c>portmap</c> plugin to forward.
    /// </summary>
    internal static JsonObject CapabilityArgs(IEnumerable<PortMapping> ports)
    {
        var mappings = new JsonArray();
        foreach (var port in ports.Where(p => p.HostPort > 0))
        {
            var mapping = new JsonObject
            {
                ["hostPort"] = port.HostPort,
                ["containerPort"] = port.ContainerPort,
                ["protocol"] = port.Protocol.ToString().ToLowerInvariant(),
            };
            if (port.HostIp.Length > 0) mapping["hostIP"] = port.HostIp;
            mappings.Add((JsonNode)mapping);
        }
        return new JsonObject { ["portMappings"] = mappings };
    }

    /// <summary>Runs DEL through the chain the pod was set up with; nothing when it was not (or was torn down already).</summary>
    public async Task TearDownAsync(string sandboxId, CancellationToken cancellationToken)
    {
        if (Load(sandboxId) is not { } cached) return;
        var config = CniConfig.Parse(cached["config"]!.ToJsonString(), single: false, CachePath(sandboxId));
        var netns = cached["netns"]?.GetValue<string>() ?? "";
        // The spec lets DEL run without the namespace (the infra died and the engine released it): plugins still free their addresses.
        var invocation = new CniInvocation(sandboxId, File.Exists(netns) ? netns : "", InterfaceName, cached["args"]?.GetValue<string>() ?? "");
        await DeleteAsync(config, cached["result"], cached["capabilities"] as JsonObject, invocation, cancellationToken, throwOnError: true);
        File.Delete(CachePath(sandboxId));
    }

    /// <summary>The pod's IP from its cached result; empty when it has none.</summary>
    public string IpOf(string sandboxId) => Load(sandboxId) is { } cached ? IpOf(cached["result"]) ?? "" : "";

    public bool HasState(string sandboxId) => File.Exists(CachePath(sandboxId));

    private async Task DeleteAsync(CniConfig config, JsonNode? result, JsonObject? capabilities, CniInvocation invocation,
        CancellationToken cancellationToken, bool throwOnError = false)
    {
        for (var i = config.Plugins.Count - 1; i >= 0; i--)
        {
            try
            {
                await _plugins.InvokeAsync("DEL", TypeOf(config, i), config.StdinOf(i, result, capabilities), invocation, cancellationToken);
            }
            catch (CniException) when (!throwOnError)
            {
                // Undoing a failed ADD: the first error is the one that matters.
            }
        }
    }

    private static string TypeOf(CniConfig config, int index) => config.Plugins[index]["type"]!.GetValue<string>();

    /// <summary>The first address of the result (<c>ips[0].address</c>, CIDR notation), without its prefix length.</summary>
    internal static string? IpOf(JsonNode? result) =>
        result?["ips"]?.AsArray().FirstOrDefault()?["address"]?.GetValue<string>().Split('/')[0];

    private string CachePath(string sandboxId) => Path.Combine(CacheDirectory, sandboxId + ".json");

    private JsonObject? Load(string sandboxId) =>
        File.Exists(CachePath(sandboxId)) ? JsonNode.Parse(File.ReadAllText(CachePath(sandboxId)))?.AsObject() : null;

    private void Save(string sandboxId, JsonObject state)
    {
        Directory.CreateDirectory(CacheDirectory);
        var path = CachePath(sandboxId);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(state.ToJsonString()));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
