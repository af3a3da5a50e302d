using System.Globalization;
using Berth.Dockerfile;

namespace Berth.Build;

/// <summary>
/// Which stages a build runs: the target (the last stage by default) and the stages it needs through <c>FROM stage</c>,
/// <c>COPY --from=stage</c> and <c>RUN --mount=from=stage</c>, in Dockerfile order; stages nothing needs are skipped. Stages are named by their
/// <c>AS</c> name or their index.
/// </summary>
public sealed class StagePlan
{
    private readonly DockerfileDocument _document;

    public StagePlan(DockerfileDocument document, string? target)
    {
        _document = document;
        if (document.Stages.Count == 0) throw new BuildException("No build stage in current context");
        Target = string.IsNullOrEmpty(target)
            ? document.Stages[^1]
            : document.Stages.FirstOrDefault(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase))
              ?? throw new BuildException($"failed to reach build target {target} in Dockerfile");
        var needed = new SortedSet<int>();
        Need(Target, needed);
        Stages = [.. needed.Select(i => document.Stages[i])];
    }

    public Stage Target { get; }

    /// <summary>The stages to build, in order.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The steps the build output counts (<c>Step N/M</c>): each stage's FROM and instructions.</summary>
    public int StepCount => Stages.Sum(s => s.Instructions.Count + 1);

    /// <summary>The earlier stage a FROM or <c>--from</c> names (by name or index), or null when it names an image.</summary>
    public Stage? Find(string nameOrIndex, int before)
    {
        foreach (var stage in _document.Stages.Take(before))
            if (string.Equals(stage.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase)) return stage;
        return int.TryParse(nameOrIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < before
            ? _document.Stages[index]
            : null;
    }

    private void Need(Stage stage, SortedSet<int> needed)
    {
        if (!needed.Add(stage.Index)) return;
        var references = stage.Instructions.OfType<CopyInstruction>().Select(c => c.From)
            .Concat(stage.Instructions.OfType<RunInstruction>().SelectMany(r => r.Mounts).Select(m => m.Options.GetValueOrDefault("from")))
            .Append(stage.From.Image);
        foreach (var reference in references)
            if (reference is not null && Find(reference, stage.Index) is { } dependency) Need(dependency, needed);
    }
}
