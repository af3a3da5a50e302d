using Berth.Engine.Containers;
using Google.Protobuf;

namespace Berth.Cri.Runtime;

/// <summary>
/// Where the CRI keeps what kubelet asked for: in labels of the engine containers it makes (as dockershim did), so that
/// a pod or container outlives a daemon restart with the engine's own record and needs no table of its own.
/// <code>
///   io.berth.namespace       k8s.io (<see cref="ContainerNamespace"/>: Docker's list leaves these out)
///   io.berth.cri.kind        sandbox | container
///   io.berth.cri.sandbox-id  a container's pod (its infra container's id)
///   io.berth.cri.config      the request's PodSandboxConfig or ContainerConfig, protobuf in base64
/// </code>
/// </summary>
internal static class CriLabels
{
    public const string Kind = "io.berth.cri.kind";
    public const string SandboxId = "io.berth.cri.sandbox-id";
    public const string Config = "io.berth.cri.config";

    public const string SandboxKind = "sandbox";
    public const string ContainerKind = "container";

    public static Dictionary<string, string> Of(string kind, IMessage config, string? sandboxId = null)
    {
        var labels = new Dictionary<string, string>
        {
            [ContainerNamespace.Label] = ContainerNamespace.Kubernetes,
            [Kind] = kind,
            [Config] = config.ToByteString().ToBase64(),
        };
        if (sandboxId is not null) labels[SandboxId] = sandboxId;
        return labels;
    }

    public static bool IsKind(Container container, string kind) =>
        container.Config.Labels.TryGetValue(Kind, out var value) && value == kind;

    public static T ConfigOf<T>(Container container, MessageParser<T> parser) where T : IMessage<T> =>
        parser.ParseFrom(ByteString.FromBase64(container.Config.Labels[Config]));
}
