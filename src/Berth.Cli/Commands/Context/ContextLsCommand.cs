using Berth.Cli.Cli;
using Berth.Cli.Formatting;
using Berth.Cli.Templates;

namespace Berth.Cli.Commands.Context;

/// <summary><c>berth context ls</c>: the default context and every stored one, by name, the one in use starred.</summary>
internal sealed class ContextLsCommand : CliCommand
{
    private string _format = "";
    private bool _quiet;

    public override string Name => "ls";
    public override string Usage => "[OPTIONS]";
    public override string Short => "List contexts";
    public override ArgsRule Args => ArgsRule.None;

    public override void Configure(FlagSet flags)
    {
        flags.String("format", null, FormatHelp.Table, v => _format = v);
        flags.Bool("quiet", 'q', "Only show context names", v => _quiet = v);
    }

    public override Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var daemon = context.Daemon;
        var current = daemon.ContextName;
        var rows = new List<ContextRow>
        {
            new(ContextStore.DefaultName, ContextStore.DefaultDescription, daemon.DefaultHost, "", current == ContextStore.DefaultName),
        };
        rows.AddRange(daemon.Store.List().Where(c => c.Name != ContextStore.DefaultName)
            .Select(c => new ContextRow(c.Name, c.Description, c.Host, "", c.Name == current)));
        if (rows.All(r => r.Name != current))
        {
            // The context in use does not load: docker lists it with its error.
            var error = "";
            try
            {
                daemon.Store.Load(current);
            }
            catch (Exception e) when (e is ContextNotFoundException or InvalidDataException)
            {
                error = e.Message;
            }
            rows.Add(new ContextRow(current, "", "", error, true));
        }
        var sorted = rows.OrderBy(r => r.Name, NaturalOrder.Instance).Cast<object?>().ToList();
        var format = _quiet ? "{{.Name}}" : _format is "" or "table" ? ContextRow.DefaultTable : _format;
        FormattedOutput.Write(context.Out, format, sorted, ContextRow.Headers);
        if (context.Environment("DOCKER_HOST") is { Length: > 0 })
            context.Err.WriteLine("Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable.");
        return Task.FromResult(0);
    }
}
