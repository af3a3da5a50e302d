using Berth.Runtime;
using Berth.Runtime.Cli;
using Berth.Runtime.Cli.Commands;
using Berth.Runtime.Init;
using Berth.Runtime.Stages;

RuntimeTrace.Mark(args is ["init", ..] ? "init: main" : "main");
// The in-container stages (and a pod's infra process) come first: they must not touch anything else of the CLI.
// The seccomp cache comes last; a shim of an older version names none (its runtime kept the cache in one fixed place).
if (args is ["init", "--exec", .. var exec] && exec.Length <= 1)
    return ExecStage.Run(exec is [var cache] ? cache : Berth.Runtime.Security.SeccompProgramCache.DefaultDirectory);
if (args is ["init", var bundle, var cgroupsPath, .. var init] && init.Length <= 1 && bundle != "--exec")
    return InitStage.Run(bundle, cgroupsPath, init is [var cache] ? cache : Berth.Runtime.Security.SeccompProgramCache.DefaultDirectory);
if (args is ["infra"]) return InfraProcess.Run();

Arguments global;
try
{
    global = Arguments.Parse(args,
        Flag.Value("root"), Flag.Value("log"), Flag.Value("log-format"), Flag.Bool("debug"),
        Flag.Bool("systemd-cgroup"), Flag.Value("criu"), Flag.Value("rootless"), Flag.Bool("help", "h"), Flag.Bool("version", "v"));
}
catch (UsageException e)
{
    Console.Error.WriteLine($"berth-runtime: {e.Message}");
    return 1;
}
if (global.Has("version"))
{
    Console.WriteLine($"berth-runtime version {typeof(CommandContext).Assembly.GetName().Version}\nspec: {Berth.Oci.Runtime.SpecVersion.Current}");
    return 0;
}
if (global.Positionals.Count == 0 || global.Has("help"))
{
    Console.WriteLine(CommandTable.Usage);
    return global.Positionals.Count == 0 && !global.Has("help") ? 1 : 0;
}

var log = new RuntimeLog(global.Get("log"), global.Get("log-format") == "json");
var name = global.Positionals[0];
var rest = global.Positionals.Skip(1).ToList();
try
{
    if (global.Has("systemd-cgroup")) throw new RuntimeException("the systemd cgroup driver is not supported; use cgroupfs paths");
    if (global.Has("rootless")) throw new RuntimeException("rootless containers are not supported yet");
    var context = new CommandContext(global.Get("root") ?? Berth.Runtime.State.StateStore.DefaultRoot, log);
    return CommandTable.Run(name, context, rest);
}
catch (Exception e) when (e is RuntimeException or StageFailedException or UsageException or Berth.Linux.LinuxException
                              or Berth.Runtime.Cgroups.CgroupException or IOException or UnauthorizedAccessException)
{
    log.Error(e.Message);
    Console.Error.WriteLine(e is UsageException ? $"berth-runtime {name}: {e.Message}" : $"berth-runtime: {e.Message}");
    return 1;
}
