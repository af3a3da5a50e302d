using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

/// <summary>
/// One build's run through its Dockerfile: the stages the target needs, in order, each from its FROM through its
/// instructions, printing <c>Step N/M : …</c> and each step's image as the legacy builder does.
/// </summary>
internal sealed partial class BuildSession(
    BuildRequest request, BuildContextDirectory context, DockerfileDocument document, ContainerService containers, ImageService images,
    EngineOptions options, IBuildOutput output)
{
    private static readonly Dictionary<string, string> PlatformArgs = new(StringComparer.Ordinal)
    {
        ["BUILDPLATFORM"] = "linux/amd64", ["BUILDOS"] = "linux", ["BUILDARCH"] = "amd64", ["BUILDVARIANT"] = "",
        ["TARGETPLATFORM"] = "linux/amd64", ["TARGETOS"] = "linux", ["TARGETARCH"] = "amd64", ["TARGETVARIANT"] = "",
    };

    private readonly BuildArgs _args = new(request.BuildArgs);
    private readonly VariableExpander _expander = new(document.EscapeToken);
    private readonly Dictionary<int, StageRun> _runs = [];
    private readonly DockerIgnore? _ignore = context.ReadDockerIgnore();
    private readonly BuildCache _cache = new(images, request.CacheFrom);
    /// <summary>The stage the calling code works for: each stage runs as its own task, which sets it first.</summary>
    private readonly AsyncLocal<StageRun> _current = new();
    private StagePlan _plan = null!;
    private OrderedBuildOutput _output = null!;

    public IReadOnlyList<string> UnconsumedArgs => _args.Unconsumed;

    /// <summary>
    /// One stage's build: its position in the plan, its next step number (fixed by the plan, as a sequential build
    /// counts), and its result, which later stages (FROM it, COPY --from it) wait for.
    /// </summary>
    private sealed class StageRun(Stage stage, int position, int firstStep)
    {
        public Stage Stage { get; } = stage;
        public int Position { get; } = position;
        public int Step { get; set; } = firstStep;
        public TaskCompletionSource<StageState> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Builds the stages the target needs, each as its own task: a stage waits only for the stages it uses, so
    /// independent ones build at once. The first failure (in Dockerfile order) stops the others and is the build's.
    /// </summary>
    /// <returns>The target stage's image id.</returns>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        _plan = new StagePlan(document, request.Target);
        foreach (var arg in document.GlobalArgs) _args.DeclareGlobal(arg, Expand, PlatformArgs);
        _output = new OrderedBuildOutput(output, _plan.Stages.Count);
        var firstStep = 1;
        foreach (var (stage, position) in _plan.Stages.Select((s, i) => (s, i)))
        {
            _runs[stage.Index] = new StageRun(stage, position, firstStep);
            firstStep += stage.Instructions.Count + 1;
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = _runs.Values.Select(run => Task.Run(() => BuildStageAsync(run, stop), CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            await _output.FlushAllAsync(CancellationToken.None);
            var failures = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var first = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures.FirstOrDefault();
            if (first is null) throw;
            global::System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }
        return (await _runs[_plan.Target.Index].Result.Task).ImageId ?? throw new BuildException("No image was generated. Is your Dockerfile empty?");
    }

    private async Task BuildStageAsync(StageRun run, CancellationTokenSource stop)
    {
        _current.Value = run;
        try
        {
            var state = await FromAsync(run.Stage, stop.Token);
            foreach (var instruction in run.Stage.Instructions) await StepAsync(instruction, state, counted: true, stop.Token);
            if (run.Stage == _plan.Target && request.Labels.Count > 0) await LabelsAsync(state, stop.Token);
            await _output.CompleteAsync(run.Position, stop.Token);
            run.Result.SetResult(state);
        }
        catch (Exception e)
        {
            run.Result.TrySetException(e);
            await stop.CancelAsync();
            throw;
        }
    }

    /// <summary>The result of an earlier stage the current one uses, once it is built.</summary>
    private Task<StageState> StageResultAsync(Stage stage, CancellationToken cancellationToken) =>
        _runs.TryGetValue(stage.Index, out var run)
            ? run.Result.Task.WaitAsync(cancellationToken)
            : throw new BuildException($"stage {stage.Name ?? stage.Index.ToString(global::System.Globalization.CultureInfo.InvariantCulture)} is not part of this build");

    private async Task StepAsync(Instruction instruction, StageState state, bool counted, CancellationToken cancellationToken)
    {
        if (counted) await WriteAsync($"Step {_current.Value!.Step++}/{StepCount} : {instruction.Original}\n", cancellationToken);
        try
        {
            switch (instruction)
            {
                case ArgInstruction arg:
                    var declared = (ArgInstruction)arg.Expand(w => Expand(w, state.Variables()));
                    foreach (var definition in declared.Arguments) state.Args.Declare(definition);
                    await CommitConfigAsync(state, "ARG " + string.Join(' ', declared.Arguments.Select(a => a.Default is null ? a.Name : $"{a.Name}={a.Default}")), cancellationToken);
                    break;
                case RunInstruction run:
                    await RunStepAsync(run, state, cancellationToken);
                    break;
                case WorkdirInstruction workdir:
                    await WorkdirStepAsync((WorkdirInstruction)workdir.Expand(w => Expand(w, state.Variables())), state, cancellationToken);
                    break;
                case CopyInstruction copy:
                    await CopyStepAsync((CopyInstruction)copy.Expand(w => Expand(w, state.Variables())), state, cancellationToken);
                    break;
                default:
                    var expanded = instruction.Expand(w => Expand(w, state.Variables()));
                    var config = state.Config.Clone();
                    await CommitConfigAsync(state, ConfigDispatcher.Apply(expanded, config, state), cancellationToken, config);
                    break;
            }
        }
        catch (DockerfileException e)
        {
            throw new BuildException($"dockerfile parse error on line {instruction.Line}: {e.Message}", inner: e);
        }
    }

    private int StepCount => _plan.StepCount + (request.Labels.Count > 0 ? 1 : 0);

    /// <summary>The build's <c>labels</c>: one more LABEL step at the end of the target stage, as Docker adds it.</summary>
    private async Task LabelsAsync(StageState state, CancellationToken cancellationToken)
    {
        var labels = request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new KeyValue(l.Key, l.Value)).ToList();
        var text = "LABEL " + string.Join(' ', labels.Select(l => $"\"{l.Key}\"='{l.Value}'"));
        await StepAsync(new LabelInstruction(0, text, labels), state, counted: true, cancellationToken);
    }

    /// <summary>A step that changes only the config: reused from the cache, or committed without a layer.</summary>
    private async Task CommitConfigAsync(StageState state, string text, CancellationToken cancellationToken, ImageRuntimeConfig? config = null)
    {
        config ??= state.Config.Clone();
        var containerConfig = config.Clone();
        containerConfig.Cmd = [.. config.Shell ?? ConfigDispatcher.DefaultShell, "#(nop) ", text];
        if (await CachedAsync(state, config, containerConfig, cancellationToken)) return;
        var id = await images.CommitAsync(new ImageCommitSpec
        {
            ParentImageId = state.ImageId,
            Config = config,
            ContainerConfig = containerConfig,
            CreatedBy = string.Join(' ', containerConfig.Cmd),
            Author = state.Author,
        }, cancellationToken);
        await StepDoneAsync(state, id, config, cancellationToken);
    }

    /// <summary>Moves the stage on to a step's cached image when the cache has one (Docker's " ---> Using cache").</summary>
    private async Task<bool> CachedAsync(StageState state, ImageRuntimeConfig config, ImageRuntimeConfig containerConfig, CancellationToken cancellationToken)
    {
        if (request.NoCache || await _cache.FindAsync(state.ImageId, config, containerConfig, cancellationToken) is not { } cached) return false;
        await WriteAsync(" ---> Using cache\n", cancellationToken);
        await StepDoneAsync(state, cached, config, cancellationToken);
        return true;
    }

    private async Task StepDoneAsync(StageState state, string imageId, ImageRuntimeConfig config, CancellationToken cancellationToken)
    {
        state.ImageId = imageId;
        state.Config = config;
        await WriteAsync($" ---> {BuildService.Short(imageId)}\n", cancellationToken);
    }

    private string Expand(string word, IReadOnlyDictionary<string, string> variables) => _expander.Expand(word, variables);

    private ValueTask WriteAsync(string text, CancellationToken cancellationToken) =>
        request.Quiet ? ValueTask.CompletedTask : _output.WriteAsync(_current.Value!.Position, text, cancellationToken);
}
