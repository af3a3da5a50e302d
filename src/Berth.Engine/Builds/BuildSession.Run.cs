using System.Text;
using Berth.Build;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Engine.Containers.Logs;
using Berth.Engine.Containers.Model;
using Berth.Engine.Images;
using Berth.Oci.Image;

namespace Berth.Engine.Builds;

internal sealed partial class BuildSession
{
    /// <summary>
    /// RUN: a container of the stage's image runs the command with the build args it sees in its env, its output
    /// streamed as it comes; its layer becomes the step's. The cache records the command with those args
    /// (<c>|N A=1 … /bin/sh -c cmd</c>, proxies left out), as Docker does.
    /// </summary>
    private async Task RunStepAsync(RunInstruction instruction, StageState state, CancellationToken cancellationToken)
    {
        var run = (RunInstruction)instruction.Expand(w => Expand(w, state.Variables()));
        var command = RunCommand(run, state.Config);
        var envNames = state.EnvNames();
        var cacheArgs = state.Args.ForRun(envNames, forCache: true);
        var mounts = await StepMountsAsync(run, cancellationToken);
        List<string> cacheCmd =
        [
            .. cacheArgs.Count == 0 ? [] : (IEnumerable<string>)[$"|{cacheArgs.Count}", .. cacheArgs.Select(a => $"{a.Key}={a.Value}")],
            .. mounts.Select(m => m.CacheKey).OfType<string>(),
            .. command,
        ];
        var containerConfig = state.Config.Clone();
        containerConfig.Cmd = cacheCmd;
        if (await CachedAsync(state, state.Config, containerConfig, cancellationToken)) return;
        if (state.ImageId is null) throw new BuildException("RUN needs a shell: the stage has no filesystem yet (FROM scratch)");
        if (run.Security == "insecure")
            throw new BuildException("RUN --security=insecure needs the security.insecure entitlement, which the /build API cannot grant");

        await using var containerMounts = await ContainerMountsAsync(mounts, cancellationToken);
        var created = await containers.CreateAsync(null, new ContainerConfig
        {
            Image = state.ImageId,
            Cmd = command,
            Entrypoint = [""],
            Env = [.. state.Args.ForRun(envNames, forCache: false).Select(a => $"{a.Key}={a.Value}")],
            AttachStdout = true,
            AttachStderr = true,
        }, RunHostConfig(run, containerMounts.Specs), null, cancellationToken);
        await WriteAsync($" ---> Running in {created.Id[..12]}\n", cancellationToken);
        var succeeded = false;
        try
        {
            var code = await RunContainerAsync(created.Id, cancellationToken);
            if (code != 0) throw new BuildException($"The command '{string.Join(' ', command)}' returned a non-zero code: {code}", code);
            var id = await images.CommitAsync(new ImageCommitSpec
            {
                ParentImageId = state.ImageId,
                Config = state.Config.Clone(),
                LayerKey = ContainerLayout.SnapshotKey(created.Id),
                ConsumeLayer = request.Remove, // a container kept by --rm=false keeps its layer, as Docker's does
                ContainerConfig = containerConfig,
                ContainerId = created.Id,
                CreatedBy = string.Join(' ', cacheCmd),
                Author = state.Author,
            }, cancellationToken);
            succeeded = true;
            if (request.Remove) await RemoveIntermediateAsync(created.Id, cancellationToken);
            await StepDoneAsync(state, id, state.Config, cancellationToken);
        }
        finally
        {
            if (!succeeded) await ReleaseFailedStepAsync(created.Id);
        }
    }

    /// <summary>A failed or cancelled step's container: removed (<c>rm</c>, <c>forcerm</c>), else stopped and kept for the user.</summary>
    private async Task ReleaseFailedStepAsync(string id)
    {
        if (request.Remove || request.ForceRemove)
        {
            await RemoveIntermediateAsync(id, CancellationToken.None);
            return;
        }
        try
        {
            await containers.StopAsync(id, 0, null, CancellationToken.None);
        }
        catch (EngineException e) when (e.Kind is ErrorKind.NotModified or ErrorKind.Conflict)
        {
            // it had exited already
        }
    }

    /// <summary>Starts the container and copies its output to the build's stream until it exits; returns its exit code.</summary>
    private async Task<int> RunContainerAsync(string id, CancellationToken cancellationToken)
    {
        await containers.StartAsync(id, cancellationToken);
        var (_, entries) = containers.Logs(id, new LogOptions { Follow = true }, cancellationToken);
        await foreach (var entry in entries) await WriteAsync(Encoding.UTF8.GetString(entry.Data), cancellationToken);
        return (await containers.Wait(id, WaitCondition.NotRunning).WaitAsync(cancellationToken)).StatusCode;
    }

    private async Task RemoveIntermediateAsync(string id, CancellationToken cancellationToken)
    {
        await containers.RemoveAsync(id, force: true, cancellationToken);
        await WriteAsync($" ---> Removed intermediate container {id[..12]}\n", cancellationToken);
    }

    /// <summary>
    /// The command line: the exec form as written, or the stage's shell with the line. A heredoc that is the whole
    /// command is the script itself; heredocs feeding a command are handed to the shell with their bodies.
    /// </summary>
    private static List<string> RunCommand(RunInstruction run, ImageRuntimeConfig config)
    {
        if (run.Heredocs.Count == 0 || !run.Command.PrependShell) return ConfigDispatcher.Command(run.Command, config);
        var shell = config.Shell ?? ConfigDispatcher.DefaultShell;
        var line = string.Join(' ', run.Command.Arguments).Trim();
        if (run.Heredocs.Count == 1 && IsHeredocMarker(line, run.Heredocs[0])) return [.. shell, run.Heredocs[0].Body];
        var script = new StringBuilder(line);
        foreach (var heredoc in run.Heredocs) script.Append('\n').Append(heredoc.Content).Append(heredoc.Name);
        return [.. shell, script.ToString()];
    }

    private static bool IsHeredocMarker(string line, Heredoc heredoc) =>
        line.TrimStart('<', '-').Trim('"', '\'') == heredoc.Name;

    /// <summary>The step container's host config: the step's network, the build's host entries and limits, the step's mounts.</summary>
    private HostConfig RunHostConfig(RunInstruction run, IReadOnlyList<MountSpec> mounts) =>
        new()
        {
            NetworkMode = run.Network is { Length: > 0 } network ? RunNetwork(network) : request.NetworkMode is { Length: > 0 } mode ? mode : "default",
            ExtraHosts = request.ExtraHosts,
            ShmSize = request.ShmSize,
            Resources = new Resources { Memory = request.Memory },
            Mounts = mounts,
        };

    /// <summary>BuildKit's <c>RUN --network</c>: <c>default</c>, <c>none</c> or <c>host</c>.</summary>
    private string RunNetwork(string network) => network switch
    {
        "default" => request.NetworkMode is { Length: > 0 } mode ? mode : "default",
        "none" or "host" => network,
        _ => throw new BuildException($"unsupported network mode: {network}"),
    };
}
