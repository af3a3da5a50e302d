using Berth.Runtime.Init;

namespace Berth.Runtime.Cli.Commands;

/// <summary><c>run ID [--bundle DIR] [--detach] [--pid-file F] [--console-socket S]</c>: create + start, and in the foreground wait and delete.</summary>
public static class RunCommand
{
    public static int Run(CommandContext context, IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, [.. CreateCommand.Flags, Flag.Bool("detach", "d"), Flag.Bool("keep")]);
        var request = CreateCommand.Request(parsed, "run");
        var runtime = context.Runtime;
        if (parsed.Has("detach"))
        {
            runtime.Create(request);
            StartOrDelete(runtime, request.Id);
            return 0;
        }
        var terminal = SpecFile.Load(request.Bundle).Process?.Terminal == true && request.ConsoleSocket is null;
        using var foreground = ForegroundProcess.Prepare(terminal);
        var record = runtime.Create(request with { ConsoleSocket = request.ConsoleSocket ?? foreground.ConsoleSocket });
        try
        {
            foreground.ReceiveConsole();
            runtime.Start(request.Id);
            var status = foreground.Wait(record.Pid);
            RuntimeTrace.Mark("run: exited");
            return status;
        }
        finally
        {
            if (!parsed.Has("keep")) runtime.Delete(request.Id, force: true);
        }
    }

    private static void StartOrDelete(Containers.ContainerRuntime runtime, string id)
    {
        try
        {
            runtime.Start(id);
        }
        catch
        {
            runtime.Delete(id, force: true);
            throw;
        }
    }
}
