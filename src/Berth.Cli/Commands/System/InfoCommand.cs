using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Api.Models;
using Berth.Api.Models.System;
using Berth.Cli.Cli;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.System;

/// <summary><c>berth info</c>: the daemon's <c>GET /info</c> in docker's layout; its warnings go to stderr.</summary>
internal sealed class InfoCommand : CliCommand
{
    private string _format = "";

    public override string Name => "info";
    public override string Usage => "[OPTIONS]";
    public override string Short => "Display system-wide information";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags) =>
        flags.String("format", 'f', FormatHelp.Object, v => _format = v);

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = await context.Client.InfoAsync(cancellationToken).ConfigureAwait(false);
        if (_format.Length > 0)
        {
            var data = JsonData.ToNode(info, ApiJsonContext.Default.SystemInfo)!.AsObject();
            data["ClientInfo"] = new JsonObject { ["Version"] = BuildInfo.Version, ["Context"] = "default", ["Debug"] = false };
            FormatTemplate.WriteLine(FormatTemplate.Parse(_format), context.Out, JsonData.ToElement(data));
            return 0;
        }
        WriteText(context.Out, info);
        foreach (var warning in info.Warnings)
            await context.Err.WriteLineAsync(warning).ConfigureAwait(false);
        return 0;
    }

    private static void WriteText(TextWriter o, SystemInfo info)
    {
        o.WriteLine("Client:");
        o.WriteLine($" Version:    {BuildInfo.Version}");
        o.WriteLine(" Context:    default");
        o.WriteLine(" Debug Mode: false");
        o.WriteLine();
        o.WriteLine("Server:");
        o.WriteLine($" Containers: {info.Containers}");
        o.WriteLine($"  Running: {info.ContainersRunning}");
        o.WriteLine($"  Paused: {info.ContainersPaused}");
        o.WriteLine($"  Stopped: {info.ContainersStopped}");
        o.WriteLine($" Images: {info.Images}");
        o.WriteLine($" Server Version: {info.ServerVersion}");
        o.WriteLine($" Storage Driver: {info.Driver}");
        foreach (var pair in info.DriverStatus.Where(p => p.Count == 2))
            o.WriteLine($"  {pair[0]}: {pair[1]}");
        o.WriteLine($" Logging Driver: {info.LoggingDriver}");
        o.WriteLine($" Cgroup Driver: {info.CgroupDriver}");
        o.WriteLine($" Cgroup Version: {info.CgroupVersion}");
        o.WriteLine(" Plugins:");
        o.WriteLine($"  Volume: {string.Join(' ', info.Plugins.Volume)}");
        o.WriteLine($"  Network: {string.Join(' ', info.Plugins.Network)}");
        o.WriteLine($"  Log: {string.Join(' ', info.Plugins.Log)}");
        o.WriteLine($" Swarm: {info.Swarm.LocalNodeState}");
        o.WriteLine($" Runtimes: {string.Join(' ', info.Runtimes.Keys.Order(StringComparer.Ordinal))}");
        o.WriteLine($" Default Runtime: {info.DefaultRuntime}");
        o.WriteLine($" Init Binary: {info.InitBinary}");
        if (info.SecurityOptions.Count > 0)
        {
            o.WriteLine(" Security Options:");
            foreach (var option in info.SecurityOptions)
                o.WriteLine($"  {option.Replace("name=", "", StringComparison.Ordinal)}");
        }
        o.WriteLine($" Kernel Version: {info.KernelVersion}");
        o.WriteLine($" Operating System: {info.OperatingSystem}");
        o.WriteLine($" OSType: {info.OSType}");
        o.WriteLine($" Architecture: {info.Architecture}");
        o.WriteLine($" CPUs: {info.NCPU}");
        o.WriteLine($" Total Memory: {BinarySize(info.MemTotal)}");
        o.WriteLine($" Name: {info.Name}");
        o.WriteLine($" ID: {info.ID}");
        o.WriteLine($" Docker Root Dir: {info.DockerRootDir}");
        o.WriteLine($" Debug Mode: {(info.Debug ? "true" : "false")}");
        o.WriteLine($" Experimental: {(info.ExperimentalBuild ? "true" : "false")}");
        if (info.RegistryConfig.InsecureRegistryCIDRs.Count > 0)
        {
            o.WriteLine(" Insecure Registries:");
            foreach (var cidr in info.RegistryConfig.InsecureRegistryCIDRs)
                o.WriteLine($"  {cidr}");
        }
        if (info.RegistryConfig.Mirrors.Count > 0)
        {
            o.WriteLine(" Registry Mirrors:");
            foreach (var mirror in info.RegistryConfig.Mirrors)
                o.WriteLine($"  {mirror}");
        }
        o.WriteLine($" Live Restore Enabled: {(info.LiveRestoreEnabled ? "true" : "false")}");
        o.WriteLine();
    }

    /// <summary>go-units <c>BytesSize</c>: binary units, 4 significant digits (<c>7.764GiB</c>).</summary>
    internal static string BinarySize(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
        var i = 0;
        while (bytes >= 1024 && i < units.Length - 1)
        {
            bytes /= 1024;
            i++;
        }
        var digits = bytes >= 1000 ? 0 : bytes >= 100 ? 1 : bytes >= 10 ? 2 : 3;
        var text = Math.Round(bytes, digits).ToString("F" + digits, CultureInfo.InvariantCulture);
        if (text.Contains('.'))
            text = text.TrimEnd('0').TrimEnd('.');
        return text + units[i];
    }
}
