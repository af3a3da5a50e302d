using Berth.Cli.Cli;

namespace Berth.Cli.Commands.Container;

/// <summary>The flags <c>create</c> and <c>run</c> have beyond the container's own: name, platform, pull policy, quiet, API socket.</summary>
/// <param name="pullUsage">The <c>--pull</c> help of the command: docker's differ (and create's has its stray <c>|</c>).</param>
internal sealed class CreateOptions(string pullUsage)
{
    public string Name { get; private set; } = "";
    public string Platform { get; private set; } = "";
    public string Pull { get; private set; } = "missing";
    public bool Quiet { get; private set; }
    public bool UseApiSocket { get; private set; }

    public void Configure(FlagSet flags)
    {
        flags.String("name", null, "Assign a name to the container", v => Name = v);
        flags.String("platform", null, "Set platform if server is multi-platform capable", v => Platform = v);
        flags.String("pull", null, pullUsage, v => Pull = v, "\"missing\"");
        flags.Bool("quiet", 'q', "Suppress the pull output", v => Quiet = v);
        flags.Bool("use-api-socket", null, "Bind mount Berth API socket and required auth", v => UseApiSocket = v);
    }

    public ContainerCreator.Options ToCreatorOptions(ContainerOptions container)
    {
        if (Pull is not ("always" or "missing" or "never"))
            throw new InvalidOptionsException($"invalid pull option: '{Pull}': must be one of \"always\", \"missing\" or \"never\"");
        return new ContainerCreator.Options(Name.Length > 0 ? Name : null, Platform.Length > 0 ? Platform : null, Pull, Quiet, container.ContainerIdFile,
            UseApiSocket);
    }
}
