using Berth.Cli.Cli;
using Berth.Compose;
using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// <c>berth compose</c>'s own flags, given before the subcommand (<c>berth compose -f a.yaml -p app up</c>), and
/// the project they select.
/// </summary>
internal sealed class ComposeOptions
{
    private readonly List<string> _files = [];
    private readonly List<string> _envFiles = [];
    private readonly List<string> _profiles = [];
    private string? _projectName;
    private string? _projectDirectory;

    public string Ansi { get; private set; } = "auto";
    public string Progress { get; private set; } = "auto";

    public void Configure(FlagSet flags)
    {
        flags.List("file", 'f', "Compose configuration files", _files);
        flags.String("project-name", 'p', "Project name", v => _projectName = v);
        flags.String("project-directory", null, "Specify an alternate working directory\n(default: the path of the, first specified, Compose file)", v => _projectDirectory = v);
        flags.List("env-file", null, "Specify an alternate environment file", _envFiles);
        flags.List("profile", null, "Specify a profile to enable", _profiles);
        flags.String("ansi", null, "Control when to print ANSI control characters (\"never\"|\"always\"|\"auto\")", v => Ansi = v, "\"auto\"");
        flags.String("progress", null, "Set type of progress output (auto, tty, plain, json, quiet)", v => Progress = v);
        flags.Int("parallel", null, "Control max parallelism, -1 for unlimited", _ => { }, "-1");
    }

    /// <summary>The project of the files, with <paramref name="services"/> enabled whatever their profiles.</summary>
    /// <exception cref="ComposeException">The files are missing or invalid.</exception>
    public ComposeProject Load(CliContext context, IReadOnlyList<string>? services = null) => ProjectLoader.Load(new LoadOptions
    {
        Files = _files,
        ProjectName = _projectName,
        ProjectDirectory = _projectDirectory,
        EnvFiles = _envFiles,
        Profiles = _profiles,
        Services = services ?? [],
        Environment = context.Environment,
        WorkingDirectory = Directory.GetCurrentDirectory(),
        Warn = warning => context.Err.WriteLine($"WARN[0000] {warning}"),
    });

    /// <summary>
    /// The project's name for commands that work on what exists (ps, logs, down…): from the files when there are
    /// some, else <c>-p</c> or <c>COMPOSE_PROJECT_NAME</c> alone; the project when the files could be read.
    /// </summary>
    public (string Name, ComposeProject? Project) NameOrProject(CliContext context)
    {
        try
        {
            var project = Load(context);
            return (project.Name, project);
        }
        catch (ComposeException) when ((_projectName ?? context.Environment("COMPOSE_PROJECT_NAME")) is { Length: > 0 } name && _files.Count == 0)
        {
            return (ProjectName.Checked(name), null);
        }
    }

    /// <summary>Whether log prefixes are coloured: <c>--ansi</c>, else when stdout is a terminal.</summary>
    public bool Colours(CliContext context) => Ansi switch
    {
        "always" => true,
        "never" => false,
        _ => context.Console.Terminal.IsStdoutTerminal && context.Environment("NO_COLOR") is null,
    };
}
