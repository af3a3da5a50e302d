using Berth.Engine.Containers.Logs;
using System.Security.Cryptography;
using Berth.Engine.Containers.Model;
using Berth.Engine.Diagnostics;
using Berth.Engine.Networks;

namespace Berth.Engine.Containers;

/// <summary>The result of create: the id, and what the client should be warned about.</summary>
public sealed record CreatedContainer(string Id, IReadOnlyList<string> Warnings);

public sealed partial class ContainerService
{
    /// <summary>
    /// Docker's create: resolves the image (404 <c>No such image</c>, so clients pull), reserves the name (409 on a
    /// conflict), resolves the command line, and persists a container in state <c>created</c>. Nothing runs yet.
    /// </summary>
    public async Task<CreatedContainer> CreateAsync(string? name, ContainerConfig config, HostConfig hostConfig,
        IReadOnlyDictionary<string, EndpointRequest>? endpoints = null, CancellationToken cancellationToken = default)
    {
        var warnings = new List<string>();
        var phases = Phases.Start(_logger);
        ValidateNetworkMode(hostConfig.NetworkMode);
        var (networkMode, networks) = _networks.PlanEndpoints(hostConfig.NetworkMode, endpoints ?? new Dictionary<string, EndpointRequest>());
        PortSpecs.Validate(hostConfig.PortBindings);
        if (!Oci.NetworkMode.Parse(networkMode).IsPrivate && (hostConfig.PortBindings.Count > 0 || hostConfig.PublishAllPorts))
        {
            warnings.Add("Published ports are discarded when using host network mode");
            hostConfig = hostConfig with { PortBindings = new Dictionary<string, IReadOnlyList<PortBinding>>(), PublishAllPorts = false };
        }
        ValidateRestartPolicy(hostConfig);
        hostConfig = WithNamespaceDefaults(hostConfig) with
        {
            LogConfig = LogDrivers.Merge(hostConfig.LogConfig, _options.DefaultLogConfig),
            Runtime = _options.RuntimeNamed(hostConfig.Runtime),
        };
        // moby's overlay2 takes options only over xfs with project quotas; Berth's overlay snapshotter has no quota at all.
        if (hostConfig.StorageOpt.Count > 0)
            throw new EngineException(ErrorKind.InvalidArgument, "--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
        phases.Mark("validate");
        var image = await _images.ResolveAsync(config.Image, cancellationToken);
        phases.Mark("image");
        var args = Oci.ContainerProcess.Args(config, image.Config);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // What the host cannot limit is discarded with Docker's warning and not kept (inspect shows it unset, as Docker's).
        hostConfig = hostConfig with { Resources = Oci.UnsupportedResources.Discard(hostConfig.Resources, Oci.SpecHost.Current.Cgroups, warnings) };
        Oci.SpecBuilder.Validate(new Oci.SpecInput
        {
            ContainerId = id, Config = config, HostConfig = hostConfig, Image = image.Config,
            RootfsPath = Layout.Rootfs(id), CgroupsPath = Oci.SpecBuilder.CgroupsPathOf(hostConfig, id),
        });
        phases.Mark("spec");

        var container = new Container
        {
            Id = id,
            Name = "",
            Created = DateTime.UtcNow,
            Config = config,
            HostConfig = hostConfig with { NetworkMode = networkMode },
            Networks = networks,
            ImageId = image.Id,
            Path = args[0],
            Args = args[1..],
        };
        ReserveName(container, name is null or "" ? null : ContainerNames.Normalize(name));
        try
        {
            container.Mounts = CreateMounts(id, config, container.HostConfig, image.Config);
            phases.Mark("mounts");
            Directory.CreateDirectory(Layout.Dir(id));
            Save(container);
            phases.Mark("save");
        }
        catch
        {
            ReleaseVolumes(id, container.Mounts, removeAnonymous: true);
            ReleaseName(container);
            if (Directory.Exists(Layout.Dir(id))) Directory.Delete(Layout.Dir(id), recursive: true);
            throw;
        }
        _byId[id] = container;
        Publish(container, "create");
        if (phases.Enabled) LogPhases(_logger, id, "create", phases);
        return new CreatedContainer(id, warnings);
    }

    public void Rename(string idOrName, string newName)
    {
        var container = Get(idOrName);
        if (string.IsNullOrEmpty(newName)) throw new EngineException(ErrorKind.InvalidArgument, "Neither old nor new names may be empty");
        var normalized = ContainerNames.Normalize(newName);
        var oldName = container.Name;
        if (normalized == oldName)
            throw new EngineException(ErrorKind.InvalidArgument, "Renaming a container with the same name as its current name");
        lock (_namesLock)
        {
            if (_idByName.TryGetValue(normalized, out var owner))
                throw NameConflict(normalized, owner);
            _idByName[normalized] = container.Id;
            _idByName.TryRemove(oldName, out _);
            container.Name = normalized;
        }
        Save(container);
        Publish(container, "rename", new Dictionary<string, string> { ["oldName"] = oldName });
    }

    private void ReserveName(Container container, string? requested)
    {
        lock (_namesLock)
        {
            if (requested is not null && _idByName.TryGetValue(requested, out var owner)) throw NameConflict(requested, owner);
            container.Name = requested ?? ContainerNames.Generate(_idByName.ContainsKey);
            _idByName[container.Name] = container.Id;
        }
    }

    private void ReleaseName(Container container)
    {
        lock (_namesLock) _idByName.TryRemove(new KeyValuePair<string, string>(container.Name, container.Id));
    }

    private static EngineException NameConflict(string name, string owner) =>
        new(ErrorKind.Conflict,
            $"Conflict. The container name \"{name}\" is already in use by container \"{owner}\". " +
            "You have to remove (or rename) that container to be able to reuse that name.");

    /// <summary>
    /// Docker's create-time defaults (moby <c>adaptContainerSettings</c>): IPC <c>private</c>; the cgroup namespace
    /// private on a cgroup v2 host and the host's otherwise (always the host's for a privileged container on v1); and
    /// <c>container:&lt;name&gt;</c> (IPC and PID) recorded as the container's id when it exists.
    /// </summary>
    private HostConfig WithNamespaceDefaults(HostConfig host)
    {
        var unified = Oci.SpecHost.Current.UnifiedCgroups;
        var cgroupns = host.CgroupnsMode.Length > 0 ? host.CgroupnsMode
            : unified ? Oci.SpecBuilder.CgroupnsPrivate : Oci.SpecBuilder.CgroupnsHost;
        return host with
        {
            IpcMode = ContainerModeById(host.IpcMode.Length == 0 ? IpcModes.Private : host.IpcMode),
            PidMode = ContainerModeById(host.PidMode),
            CgroupnsMode = cgroupns,
        };
    }

    /// <summary><c>container:&lt;name&gt;</c> as <c>container:&lt;id&gt;</c> when that container exists; any other mode as it is.</summary>
    private string ContainerModeById(string mode) =>
        ContainerModes.DonorOf(mode) is { } name && FindOrNull(name) is { } donor ? ContainerModes.Prefix + donor.Id : mode;

    private Container? FindOrNull(string idOrName)
    {
        try
        {
            return Get(idOrName);
        }
        catch (EngineException)
        {
            return null;
        }
    }

    /// <summary><c>container:</c> needs a name or id; networks themselves are checked by the network service.</summary>
    private static void ValidateNetworkMode(string mode)
    {
        if (mode == "container:") throw new EngineException(ErrorKind.InvalidArgument, "invalid network mode: container: needs a container's name or id");
    }

    private static void ValidateRestartPolicy(HostConfig hostConfig)
    {
        var policy = hostConfig.RestartPolicy;
        switch (policy.Name)
        {
            case "" or "no" or "always" or "unless-stopped":
                if (policy.MaximumRetryCount != 0)
                    throw new EngineException(ErrorKind.InvalidArgument,
                        $"invalid restart policy: maximum retry count can only be used with 'on-failure'");
                break;
            case "on-failure":
                if (policy.MaximumRetryCount < 0)
                    throw new EngineException(ErrorKind.InvalidArgument, "invalid restart policy: maximum retry count cannot be negative");
                break;
            default:
                throw new EngineException(ErrorKind.InvalidArgument, $"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (hostConfig.AutoRemove && policy.Name is not ("" or "no"))
            throw new EngineException(ErrorKind.InvalidArgument, "can't create 'AutoRemove' container with restart policy");
    }
}
