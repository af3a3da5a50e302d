namespace Berth.Engine.Containers;

/// <summary>
/// Containers of another client than Docker's API live in the same engine under a namespace of their own, as
/// containerd keeps Kubernetes' in <c>k8s.io</c>: the label <see cref="Label"/> names it. Docker's list and prune
/// leave them out (<c>berth ps</c> shows no pod), while create, start, stop and remove — the one cleanup path — are shared.
/// </summary>
public static class ContainerNamespace
{
    public const string Label = "io.berth.namespace";

    /// <summary>The namespace of the CRI's pods and containers.</summary>
    public const string Kubernetes = "k8s.io";

    public static bool IsDockers(Container container) => !container.Config.Labels.ContainsKey(Label);
}
