using Berth.Api.Client;
using Berth.Cli.Cli;

try
{
    return await CommandLine.RunAsync(args, CliConsole.FromProcess(), endpoint => new BerthClient(endpoint),
        Environment.GetEnvironmentVariable, TimeProvider.System);
}
catch (IOException e) when (Errors.IsBrokenPipe(e))
{
    return Errors.BrokenPipeExitCode;
}
