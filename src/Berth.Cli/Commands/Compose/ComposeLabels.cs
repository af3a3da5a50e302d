namespace Berth.Cli.Commands.Compose;

/// <summary>
/// The labels compose v2 (and docker-compose 1.x) put on what they create and find it by: a project is whatever
/// carries its project label, so each tool sees the others' containers, networks and volumes.
/// </summary>
internal static class ComposeLabels
{
    public const string Project = "com.docker.compose.project";
    public const string Service = "com.docker.compose.service";
    public const string ContainerNumber = "com.docker.compose.container-number";
    public const string ConfigHash = "com.docker.compose.config-hash";
    public const string Oneoff = "com.docker.compose.oneoff";
    public const string Slug = "com.docker.compose.slug";
    public const string WorkingDir = "com.docker.compose.project.working_dir";
    public const string ConfigFiles = "com.docker.compose.project.config_files";
    public const string EnvironmentFile = "com.docker.compose.project.environment_file";
    public const string Version = "com.docker.compose.version";
    public const string DependsOn = "com.docker.compose.depends_on";
    public const string Network = "com.docker.compose.network";
    public const string Volume = "com.docker.compose.volume";
    public const string Image = "com.docker.compose.image";

    /// <summary>The compose version Berth's compose speaks for (the label docker-compose and compose v2 read).</summary>
    public const string ComposeVersion = "2.32.0";
}
