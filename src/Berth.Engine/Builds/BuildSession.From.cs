using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

internal sealed partial class BuildSession
{
    /// <summary>
    /// A stage's start: an earlier stage's result, nothing (<c>scratch</c>), or an image (pulled when missing or when
    /// the build asks to pull). The image's ONBUILD triggers run first, as Docker runs them.
    /// </summary>
    private async Task<StageState> FromAsync(Stage stage, CancellationToken cancellationToken)
    {
        await WriteAsync($"Step {++_step}/{StepCount} : {stage.From.Original}\n", cancellationToken);
        var from = (FromInstruction)stage.From.Expand(w => Expand(w, _args.Global));
        StageState state;
        if (_plan.Find(from.Image, stage.Index) is { } earlier)
        {
            var result = _stages[earlier.Index];
            state = new StageState(result.ImageId, result.Config.Clone(), _args.NewStage());
        }
        else if (string.Equals(from.Image, "scratch", StringComparison.OrdinalIgnoreCase))
        {
            state = new StageState(null, new ImageRuntimeConfig { Env = ["PATH=" + Containers.Oci.ContainerProcess.DefaultPath] }, _args.NewStage());
        }
        else
        {
            var image = await BaseImageAsync(from.Image, cancellationToken);
            state = new StageState(image.Id, image.Config?.Clone() ?? new ImageRuntimeConfig(), _args.NewStage());
        }
        if (state.ImageId is { } id) await WriteAsync($" ---> {BuildService.Short(id)}\n", cancellationToken);
        await RunTriggersAsync(state, cancellationToken);
        return state;
    }

    private async Task RunTriggersAsync(StageState state, CancellationToken cancellationToken)
    {
        if (state.Config.OnBuild is not { Count: > 0 } triggers) return;
        state.Config.OnBuild = null; // a trigger runs in the build that uses the image, not in the next one
        await WriteAsync($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n", cancellationToken);
        foreach (var trigger in triggers)
        {
            Instruction instruction;
            try
            {
                instruction = DockerfileParser.ParseInstruction(trigger, 0, document.EscapeToken);
            }
            catch (DockerfileException e)
            {
                throw new BuildException($"failed to parse ONBUILD trigger {trigger}: {e.Message}", inner: e);
            }
            await StepAsync(instruction, state, counted: false, cancellationToken);
        }
    }

    /// <summary>The image a FROM (or <c>COPY --from</c>) names: local unless the build asks to pull, pulled when missing.</summary>
    private async Task<ResolvedImage> BaseImageAsync(string reference, CancellationToken cancellationToken)
    {
        if (!request.Pull)
        {
            try
            {
                return await images.ResolveAsync(reference, cancellationToken);
            }
            catch (EngineException e) when (e.Kind == ErrorKind.NotFound)
            {
            }
        }
        var progress = new Progress<PullProgressEvent>();
        var pulled = await images.PullAsync(reference, new PullSpec(request.Platform ?? "", LoginFor(reference), AllTags: false), progress, cancellationToken);
        return await images.ResolveAsync(pulled[0], cancellationToken);
    }

    /// <summary>The credentials <c>X-Registry-Config</c> gave for the reference's registry (Docker Hub's under its v1 address).</summary>
    private RegistryLogin? LoginFor(string reference)
    {
        if (!ImageReference.TryParse(reference, out var parsed)) return null;
        foreach (var (address, login) in request.Registries)
        {
            var host = address.Contains("://", StringComparison.Ordinal) ? new Uri(address).Authority : address.Split('/')[0];
            if (host is "index.docker.io" or "registry-1.docker.io") host = ImageReference.DefaultDomain;
            if (string.Equals(host, parsed.Domain, StringComparison.OrdinalIgnoreCase)) return login;
        }
        return null;
    }
}
