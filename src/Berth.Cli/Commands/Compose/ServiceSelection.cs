using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>The services a command acts on: those named (all when none), with what they depend on unless told not to.</summary>
internal static class ServiceSelection
{
    public static IReadOnlyList<ServiceConfig> Select(ComposeProject project, IReadOnlyList<string> names, bool withDependencies = true)
    {
        if (names.Count == 0)
            return project.Services;
        var selected = new HashSet<string>();
        foreach (var name in names)
            Add(project, project.Service(name)?.Name ?? throw new ComposeException($"no such service: {name}"), selected, withDependencies);
        return project.Services.Where(s => selected.Contains(s.Name)).ToList();
    }

    private static void Add(ComposeProject project, string name, HashSet<string> selected, bool withDependencies)
    {
        if (!selected.Add(name) || !withDependencies)
            return;
        foreach (var dependency in project.Service(name)!.DependsOn.Where(d => project.Service(d.Service) is not null))
            Add(project, dependency.Service, selected, withDependencies);
    }

    /// <summary>Services in an order where each comes after what it depends on (the reverse is the order to stop them).</summary>
    public static List<string> DependencyOrder(ComposeProject project)
    {
        var order = new List<string>();
        void Visit(ServiceConfig service)
        {
            if (order.Contains(service.Name))
                return;
            foreach (var dependency in service.DependsOn)
                if (project.Service(dependency.Service) is { } other)
                    Visit(other);
            order.Add(service.Name);
        }
        foreach (var service in project.Services)
            Visit(service);
        return order;
    }
}
