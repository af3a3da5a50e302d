using System.Net;
using Berth.Api.Client;
using Berth.Cli.Tests.Fakes;

namespace Berth.Cli.Tests.Cli;

/// <summary>Usage errors, unknown commands and help in docker 28's words, streams and exit codes.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task An_unknown_command_is_dockers_unknown_command()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("frobnicate"));
        Assert.Equal("berth: unknown command: berth frobnicate\n\nRun 'berth --help' for more information\n", cli.Stderr);
    }

    [Fact]
    public async Task An_unknown_subcommand_names_the_group()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("container", "nosuch"));
        Assert.Equal("berth: unknown command: berth container nosuch\n\nUsage:  berth container\n\nRun 'berth container --help' for more information\n", cli.Stderr);
        Assert.Equal(125, await cli.RunAsync("image", "--nosuch"));
        Assert.Equal("unknown flag: --nosuch\n\nUsage:  berth image\n\nRun 'berth image --help' for more information\n", cli.Stderr);
    }

    [Fact]
    public async Task A_bare_group_prints_its_help_on_stderr_and_help_on_stdout()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("container"));
        Assert.Equal("", cli.Stdout);
        Assert.StartsWith("Usage:  berth container COMMAND\n\nManage containers\n\nCommands:\n  attach      Attach local", cli.Stderr);
        Assert.EndsWith("\n\nRun 'berth container COMMAND --help' for more information on a command.\n", cli.Stderr);
        Assert.Equal(0, await cli.RunAsync("container", "--help"));
        Assert.StartsWith("Usage:  berth container COMMAND\n", cli.Stdout);
        Assert.Contains("\n  ls          List containers\n", cli.Stdout);
    }

    [Fact]
    public async Task A_bare_berth_prints_the_root_help_on_stderr()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync());
        Assert.Equal("", cli.Stdout);
        Assert.StartsWith("Usage:  berth [OPTIONS] COMMAND\n", cli.Stderr);
    }

    [Fact]
    public async Task Root_help_groups_commands_as_docker_does()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("--help"));
        var help = cli.Stdout;
        Assert.StartsWith("Usage:  berth [OPTIONS] COMMAND\n\nA Docker-compatible container engine\n\nCommon Commands:\n  run         Create and run a new container from an image\n  exec  ", help);
        Assert.True(help.IndexOf("\nManagement Commands:\n  container   Manage containers\n", StringComparison.Ordinal)
                    < help.IndexOf("\nCommands:\n  attach      ", StringComparison.Ordinal));
        Assert.DoesNotContain("\n  ps          ", help[help.IndexOf("\nCommands:\n", StringComparison.Ordinal)..]);
        Assert.Contains("\nGlobal Options:\n      --config string      Location of client config files (default\n                           \"", help);
        Assert.Contains("\n  -H, --host list          Daemon socket to connect to\n", help);
        Assert.EndsWith("\n\nRun 'berth COMMAND --help' for more information on a command.\n", help);
    }

    [Fact]
    public async Task Command_help_wraps_flag_usages_at_80_columns()
    {
        var cli = new TestCli();
        Assert.Equal(0, await cli.RunAsync("help", "rm"));
        Assert.Equal("""
            Usage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]

            Remove one or more containers

            Aliases:
              berth container rm, berth container remove, berth rm

            Options:
              -f, --force     Force the removal of a running container (uses SIGKILL)
              -l, --link      Remove the specified link
              -v, --volumes   Remove anonymous volumes associated with the container

            """, cli.Stdout);

        cli.Terminal.IsStdinTerminal = true;
        cli.Terminal.Size = (24, 50);
        Assert.Equal(0, await cli.RunAsync("rm", "--help"));
        Assert.Contains("  -f, --force     Force the removal of a\n                  running container (uses\n                  SIGKILL)\n", cli.Stdout);
    }

    [Fact]
    public async Task Help_of_an_unknown_topic_fails()
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync("help", "nosuch"));
        Assert.Equal("unknown help topic: nosuch\n", cli.Stderr);
        Assert.Equal(0, await cli.RunAsync("help", "container", "ls"));
        Assert.StartsWith("Usage:  berth container ls [OPTIONS]\n\nList containers\n\nAliases:\n  berth container ls, berth container list, berth container ps, berth ps\n", cli.Stdout);
    }

    [Theory]
    [InlineData(new[] { "rm" }, "berth: 'berth rm' requires at least 1 argument\n\nUsage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information\n")]
    [InlineData(new[] { "ps", "x" }, "berth: 'berth ps' accepts no arguments\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n")]
    [InlineData(new[] { "rename", "a" }, "berth: 'berth rename' requires 2 arguments\n\nUsage:  berth rename CONTAINER NEW_NAME\n\nRun 'berth rename --help' for more information\n")]
    public async Task Wrong_argument_counts_exit_1_in_dockers_words(string[] args, string message)
    {
        var cli = new TestCli();
        Assert.Equal(1, await cli.RunAsync(args));
        Assert.Equal(message, cli.Stderr);
        Assert.Empty(cli.Client.Calls);
    }

    [Fact]
    public async Task A_bad_global_flag_shows_the_root_usage()
    {
        var cli = new TestCli();
        Assert.Equal(125, await cli.RunAsync("--nosuch"));
        Assert.Equal("unknown flag: --nosuch\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]\n\nRun 'berth --help' for more information\n", cli.Stderr);
        Assert.Equal(125, await cli.RunAsync("stop", "-t", "x", "a"));
        Assert.StartsWith("invalid argument \"x\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \"x\": invalid syntax\n\nUsage:  berth stop [OPTIONS] CONTAINER [CONTAINER...]\n", cli.Stderr);
    }

    [Fact]
    public async Task Rm_force_of_a_missing_container_reports_it_and_succeeds()
    {
        var cli = new TestCli();
        cli.Client.KnownContainers = ["a"];
        Assert.Equal(0, await cli.RunAsync("rm", "-f", "nosuch", "a"));
        Assert.Equal("a\n", cli.Stdout);
        Assert.Equal("Error response from daemon: No such container: nosuch\n", cli.Stderr);
        Assert.Equal(1, await cli.RunAsync("rm", "nosuch"));
    }

    [Fact]
    public async Task Rmi_force_of_a_missing_image_reports_it_and_succeeds_unless_another_error_came()
    {
        var cli = new TestCli();
        cli.Client.ImageRemoveErrors["nosuch"] = new ApiException(HttpStatusCode.NotFound, "No such image: nosuch:latest");
        Assert.Equal(0, await cli.RunAsync("rmi", "-f", "nosuch"));
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\n", cli.Stderr);
        Assert.Equal(1, await cli.RunAsync("rmi", "nosuch"));

        cli.Client.ImageRemoveErrors["used"] = new ApiException(HttpStatusCode.Conflict, "conflict: unable to delete");
        Assert.Equal(1, await cli.RunAsync("rmi", "-f", "nosuch", "used"));
        Assert.Equal("Error response from daemon: No such image: nosuch:latest\nError response from daemon: conflict: unable to delete\n", cli.Stderr);
    }

    [Fact]
    public async Task A_create_name_conflict_is_the_daemons_message_and_exit_1()
    {
        var cli = new TestCli();
        const string conflict = "Conflict. The container name \"/web\" is already in use by container \"abc\". You have to remove (or rename) that container to be able to reuse that name.";
        cli.Client.CreateError = new ApiException(HttpStatusCode.Conflict, conflict);
        Assert.Equal(1, await cli.RunAsync("create", "--name", "web", "busybox"));
        Assert.Equal($"Error response from daemon: {conflict}\n", cli.Stderr);
        Assert.Equal(125, await cli.RunAsync("run", "--name", "web", "busybox"));
        Assert.Equal($"berth: Error response from daemon: {conflict}\n\nRun 'berth run --help' for more information\n", cli.Stderr);
    }
}
