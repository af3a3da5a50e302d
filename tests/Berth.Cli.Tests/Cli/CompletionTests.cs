using System.Diagnostics;
using Berth.Api.Models.Containers;
using Berth.Api.Models.Images;
using Berth.Api.Models.Networks;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Cli;

/// <summary>
/// <c>berth __complete</c> (cobra's protocol, which the scripts of <c>berth completion</c> speak) and the scripts
/// themselves. The shapes are those <c>docker __complete</c> 28.2.2 prints for the same words.
/// </summary>
public sealed class CompletionTests
{
    private static TestCli Cli()
    {
        var cli = new TestCli();
        cli.Client.Containers.AddRange(
        [
            new ContainerSummary { Id = "c1", Names = ["/web"], State = "running" },
            new ContainerSummary { Id = "c2", Names = ["/db"], State = "exited" },
            new ContainerSummary { Id = "c3", Names = ["/worker"], State = "paused" },
        ]);
        cli.Client.Images.AddRange(
        [
            new ImageSummary { Id = "sha256:1", RepoTags = ["busybox:latest", "busybox:1.36"] },
            new ImageSummary { Id = "sha256:2", RepoTags = ["<none>:<none>"] },
            new ImageSummary { Id = "sha256:3", RepoTags = ["alpine:3.20"] },
        ]);
        cli.Client.Networks.AddRange([new NetworkResource { Name = "bridge" }, new NetworkResource { Name = "backend" }]);
        return cli;
    }

    private static async Task<string> Complete(TestCli cli, params string[] words)
    {
        Assert.Equal(0, await cli.RunAsync(["__complete", .. words]));
        return cli.Stdout;
    }

    [Fact]
    public async Task Root_lists_commands_and_groups_with_descriptions_but_not_hidden_ones()
    {
        var cli = Cli();
        var output = await Complete(cli, "");
        Assert.StartsWith("attach\tAttach local standard input, output, and error streams to a running container\n", output);
        Assert.Contains("\ncontainer\tManage containers\n", output);
        Assert.Contains("\nhelp\tHelp about the command\n", output);
        Assert.DoesNotContain("completion", output);
        Assert.DoesNotContain("dial-stdio", output);
        Assert.EndsWith("\nwait\tBlock until one or more containers stop, then print their exit codes\n:4\n", output);
        Assert.Equal("Completion ended with directive: ShellCompDirectiveNoFileComp\n", cli.Stderr);
    }

    [Fact]
    public async Task A_prefix_narrows_the_commands()
    {
        var cli = Cli();
        Assert.Equal("start\tStart one or more stopped containers\nstats\tDisplay a live stream of container(s) resource usage statistics\n"
            + "stop\tStop one or more running containers\n:4\n", await Complete(cli, "st"));
    }

    [Fact]
    public async Task Group_subcommands_by_name_only_and_without_descriptions_for_NoDesc()
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("__completeNoDesc", "network", "r"));
        Assert.Equal("rm\n:4\n", cli.Stdout);
        Assert.Equal("bash\tGenerate the autocompletion script for bash\nfish\tGenerate the autocompletion script for fish\n"
            + "zsh\tGenerate the autocompletion script for zsh\n:4\n", await Complete(cli, "completion", ""));
    }

    [Fact]
    public async Task Flags_long_then_short_sorted_without_hidden_or_given_ones()
    {
        var cli = Cli();
        Assert.Equal("--signal\tSignal to send to the container\n--timeout\tSeconds to wait before killing the container\n:4\n",
            await Complete(cli, "stop", "--"));
        Assert.Equal("--signal\tSignal to send to the container\n-s\tSignal to send to the container\n"
            + "--timeout\tSeconds to wait before killing the container\n-t\tSeconds to wait before killing the container\n:4\n",
            await Complete(cli, "stop", "-"));
        var ps = await Complete(cli, "ps", "-a", "-f", "x", "-");
        Assert.DoesNotContain("--all", ps);
        Assert.StartsWith("--filter\tFilter output based on conditions provided\n-f\tFilter output based on conditions provided\n"
            + "--format\tFormat output using a custom template:\n", ps);
    }

    [Fact]
    public async Task Global_flags_before_the_command_and_their_values()
    {
        var cli = Cli();
        Assert.Contains("--log-level\tSet the logging level", await Complete(cli, "--"));
        Assert.Equal("debug\ninfo\nwarn\nerror\nfatal\npanic\n:4\n", await Complete(cli, "--log-level", ""));
        Assert.Equal("default\n:4\n", await Complete(cli, "--context", ""));
        Assert.Equal(":0\n", await Complete(cli, "-H", ""));
        Assert.Contains("\nps\tList containers\n", await Complete(cli, "-D", "--log-level", "info", ""));
    }

    [Fact]
    public async Task Containers_by_state_for_each_command()
    {
        var cli = Cli();
        Assert.Equal("web\n:4\n", await Complete(cli, "stop", ""));
        Assert.Equal("db\n:4\n", await Complete(cli, "container", "start", ""));
        Assert.Equal("worker\n:4\n", await Complete(cli, "unpause", ""));
        Assert.Equal("web\ndb\nworker\n:4\n", await Complete(cli, "rm", "-f", ""));
        Assert.Equal("web\nworker\n:4\n", await Complete(cli, "logs", "-f", "w"));
        Assert.Equal(":4\n", await Complete(cli, "logs", "web", ""));
        Assert.Equal("web\n:4\n", await Complete(cli, "exec", "-it", ""));
        Assert.Equal(":4\n", await Complete(cli, "exec", "web", ""));
    }

    [Fact]
    public async Task Images_for_run_and_rmi_only_where_an_image_goes()
    {
        var cli = Cli();
        Assert.Equal("busybox:latest\nbusybox:1.36\nalpine:3.20\n:4\n", await Complete(cli, "run", "--rm", "-e", "A=1", ""));
        Assert.Equal("busybox:1.36\n:4\n", await Complete(cli, "rmi", "busybox:latest", "busybox:1"));
        Assert.Equal(":4\n", await Complete(cli, "run", "busybox", ""));
        Assert.Equal(":4\n", await Complete(cli, "run", "busybox", "-"));
    }

    [Fact]
    public async Task Networks_then_containers_for_network_connect()
    {
        var cli = Cli();
        Assert.Equal("bridge\nbackend\n:4\n", await Complete(cli, "network", "rm", ""));
        Assert.Equal("web\ndb\nworker\n:4\n", await Complete(cli, "network", "connect", "backend", ""));
        Assert.Equal(":4\n", await Complete(cli, "network", "connect", "backend", "web", ""));
        Assert.Equal("backend\n:4\n", await Complete(cli, "run", "--network", "ba"));
    }

    [Fact]
    public async Task Fixed_flag_values_also_after_an_equals_sign()
    {
        var cli = Cli();
        Assert.Equal("no\nalways\non-failure\nunless-stopped\n:4\n", await Complete(cli, "run", "--restart", ""));
        Assert.Equal("on-failure\n:4\n", await Complete(cli, "run", "--restart=on"));
    }

    [Fact]
    public async Task Flags_without_completions_and_file_arguments_leave_the_shell_to_file_names()
    {
        var cli = Cli();
        Assert.Equal(":0\n", await Complete(cli, "run", "-v", ""));
        Assert.Equal(":0\n", await Complete(cli, "import", ""));
        Assert.Equal("Completion ended with directive: ShellCompDirectiveDefault\n", cli.Stderr);
        Assert.Equal(":4\n", await Complete(cli, "version", ""));
        Assert.Equal(":4\n", await Complete(cli, "system", "df", ""));
    }

    [Fact]
    public async Task An_unreachable_daemon_completes_nothing_with_the_error_directive()
    {
        var cli = Cli();
        Assert.Equal(":1\n", await Complete(cli, "--context", "nosuch", "stop", ""));
        Assert.Equal("Completion ended with directive: ShellCompDirectiveError\n", cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Theory]
    [InlineData("bash", "complete -o default -F __berth_complete berth\n")]
    [InlineData("zsh", "    _berth \"$@\"\nfi\n")]
    [InlineData("fish", "complete -c berth -f -a '(__berth_complete)'\n")]
    public async Task Completion_prints_the_script_for_the_shell(string shell, string ending)
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("completion", shell));
        Assert.EndsWith(ending, cli.Stdout);
        Assert.Contains(shell == "bash" ? "__completeNoDesc" : "__complete ", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("completion", shell, "--no-descriptions"));
        Assert.Contains("__completeNoDesc", cli.Stdout);
        Assert.Equal(0, await cli.RunAsync("completion", shell, "--help"));
        Assert.StartsWith(shell == "bash" ? "Usage:  berth completion bash\n\n" : $"Usage:  berth completion {shell} [flags]\n\n", cli.Stdout);
        Assert.Contains($"Generate the autocompletion script for the {shell} shell.", cli.Stdout);
        Assert.Contains("--no-descriptions   disable completion descriptions", cli.Stdout);
    }

    /// <summary>
    /// The bash script against a stand-in <c>berth</c> that answers as <c>__complete</c> would: bash replaces only
    /// what follows the word's last ':' or '=', so the candidates are cut there; the error directive offers nothing.
    /// </summary>
    [Theory]
    [InlineData("berth rmi busybox:l", "busybox:latest\\nbusybox:1.36\\n:4", "latest")]
    [InlineData("berth run --restart=on", "no\\non-failure\\n:4", "on-failure")]
    [InlineData("berth st", "start\\nstats\\nstop\\n:4", "start stats stop")]
    [InlineData("berth stop ", ":1", "")]
    public async Task The_bash_script_offers_what_complete_answers(string line, string answer, string expected)
    {
        if (!File.Exists("/bin/bash"))
            return;
        using var directory = new TempDirectory();
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("completion", "bash"));
        await File.WriteAllTextAsync(directory.Combine("berth.bash"), cli.Stdout);
        var program = directory.Combine("berth");
        await File.WriteAllTextAsync(program, $"#!/bin/sh\nprintf '{answer}\\n'\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("/bin/bash", ["-c",
            "source berth.bash; COMP_LINE=\"$1\"; COMP_POINT=${#COMP_LINE}; __berth_complete; printf '%s' \"${COMPREPLY[*]}\"", "test", line])
        {
            WorkingDirectory = directory.Path, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["PATH"] = directory.Path + ":/usr/bin:/bin";
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(expected, output);
    }

    [Fact]
    public async Task The_completion_group_stays_out_of_the_root_help()
    {
        var cli = Cli();
        Assert.Equal(0, await cli.RunAsync("--help"));
        Assert.DoesNotContain("completion", cli.Stdout);
    }
}
