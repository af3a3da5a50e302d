using System.Text.RegularExpressions;
using Berth.EndToEnd.Tests.Registries;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>
/// Pull and push progress as a user at a terminal sees it (util-linux <c>script</c>), at 80 and 150 columns: docker
/// draws its <c>[==>  ]</c> bar only above 110 columns, 50 wide with its trailing <c>&gt;</c>. Each CLI pulls into an
/// empty store and pushes to an empty registry, so both draw every layer's whole progress; how many updates the
/// daemon sent, the sizes in them and the registry's port are what may differ.
/// </summary>
public sealed partial class ParityTests
{
    private const int NarrowColumns = 80;
    private const int WideColumns = 150;

    [PrivilegedFact]
    public void Pull_and_push_progress_on_a_terminal()
    {
        using var registry = RegistryProcess.Berth();
        var image = $"{registry.Address}/parity/progress:1";
        ImportLayerOfRandomBytes(image);
        _daemon.Docker("push", image).Ok("push");
        _daemon.Docker("rmi", image).Ok("rmi");
        try
        {
            foreach (var columns in new[] { NarrowColumns, WideColumns })
            {
                var pulls = Both(program => OnTerminal(program, columns, "pull", image), () => _daemon.Docker("rmi", image).Ok("rmi"));
                Assert.StartsWith("1: Pulling from parity/progress\r\n", pulls.Docker);
                AssertBar(columns, pulls.Docker, "Downloading");
                Assert.Equal(pulls.Docker, pulls.Berth);
            }
            _daemon.Docker("pull", image).Ok("pull");
            foreach (var columns in new[] { NarrowColumns, WideColumns })
            {
                var pushes = Both(program => PushToEmptyRegistry(program, columns, image), () => { });
                AssertBar(columns, pushes.Docker, "Pushing");
                Assert.Equal(pushes.Docker, pushes.Berth);
            }
        }
        finally
        {
            _daemon.Docker("rmi", "-f", image);
        }
    }

    /// <summary>docker's output, then berth's, normalised; <paramref name="between"/> runs after each (resetting the state).</summary>
    private static (string Docker, string Berth) Both(Func<string, CommandResult> run, Action between)
    {
        var docker = run("docker").Ok("docker on a terminal");
        between();
        var berth = run(RepoPaths.Cli).Ok("berth on a terminal");
        between();
        return (NormaliseProgress(docker.Stdout), NormaliseProgress(berth.Stdout));
    }

    private CommandResult OnTerminal(string program, int columns, params string[] args) =>
        Commands.OnTerminal($"DOCKER_CONFIG={_config} {program} -H {_daemon.Host} {string.Join(' ', args)}", columns: columns);

    private CommandResult PushToEmptyRegistry(string program, int columns, string image)
    {
        using var registry = RegistryProcess.Berth();
        var target = $"{registry.Address}/parity/pushed:1";
        _daemon.Docker("tag", image, target).Ok("tag");
        try
        {
            return OnTerminal(program, columns, "push", target);
        }
        finally
        {
            _daemon.Docker("rmi", target).Ok("rmi");
        }
    }

    /// <summary>A one-layer image of 3 MiB nothing compresses: its pull and push report progress several times.</summary>
    private void ImportLayerOfRandomBytes(string reference)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_config, "layer")).FullName;
        File.WriteAllBytes(Path.Combine(directory, "random"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 << 20));
        var tar = Path.Combine(_config, "layer.tar");
        Commands.Run("tar", ["-C", directory, "-cf", tar, "."]).Ok("tar");
        _daemon.Docker("import", tar, reference).Ok("import");
    }

    private static void AssertBar(int columns, string normalised, string action)
    {
        var bar = $"{action} [{new string('#', 51)}]<SIZE>/<SIZE>";
        if (columns > 110)
            Assert.Contains(bar, normalised);
        else
            Assert.Contains($"{action}<SIZE>/<SIZE>", normalised);
    }

    /// <summary>
    /// Sizes become <c>&lt;SIZE&gt;</c> (their padding with them), a bar keeps its width but not its fill, the registry's address goes, and the
    /// same redraw of a line repeated (the daemon's update count) is kept once.
    /// </summary>
    private static string NormaliseProgress(string output)
    {
        output = RegistryAddress().Replace(output, "<REGISTRY>");
        output = Bar().Replace(output, m => "[" + new string('#', m.Length - 2) + "]");
        output = Size().Replace(output, "<SIZE>");
        return RepeatedRedraw().Replace(output, "$1");
    }

    [GeneratedRegex(@"127\.0\.0\.1:\d+")]
    private static partial Regex RegistryAddress();

    [GeneratedRegex(@"\[=*>? *\]")]
    private static partial Regex Bar();

    [GeneratedRegex(@" *\b\d+(\.\d+)?[kMG]?B\b")]
    private static partial Regex Size();

    [GeneratedRegex(@"(\x1b\[\d+A\x1b\[2K\r[^\x1b]*\x1b\[\d+B)\1+")]
    private static partial Regex RepeatedRedraw();
}
