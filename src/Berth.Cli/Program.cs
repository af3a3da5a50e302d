using Berth.Api.Client;
using Berth.Cli.Cli;

return await CommandLine.RunAsync(args, CliConsole.FromProcess(), endpoint => new BerthClient(endpoint),
    Environment.GetEnvironmentVariable, TimeProvider.System);
