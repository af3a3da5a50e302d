using Berth.Linux;
using Berth.Runtime;
using Berth.Shim.Protocol;
using Berth.Shim;

// berth-shim: one per container (see ShimOptions for its command line, ShimProtocol for its socket).
// It outlives the daemon that started it: a hang-up or a closed reader must not end it.
RuntimeTrace.Mark("shim: main");
ProcessCalls.IgnoreSignal(Signals.SIGHUP);
ProcessCalls.IgnoreSignal(Signals.SIGPIPE);
ShimOptions options;
try
{
    options = ShimOptions.Parse(args);
}
catch (ArgumentException e)
{
    Diagnostics.Write(e.Message);
    ReadyLine.Write(ShimProtocol.Error(e.Message));
    return 1;
}
return Supervisor.Run(options);
