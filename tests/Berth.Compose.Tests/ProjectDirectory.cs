using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Compose.Tests;

/// <summary>A temporary project directory with files in it, loaded with a given environment.</summary>
internal sealed class ProjectDirectory : IDisposable
{
    public ProjectDirectory(string name = "myapp")
    {
        Root = Path.Combine(Path.GetTempPath(), "berth-compose-" + Guid.NewGuid().ToString("N")[..8], name);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }
    public Dictionary<string, string> Environment { get; } = [];

    public ProjectDirectory Write(string file, string text)
    {
        var path = Path.Combine(Root, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public ComposeProject Load(LoadOptions? options = null, List<string>? warnings = null) =>
        ProjectLoader.Load((options ?? new LoadOptions { Environment = _ => null, WorkingDirectory = Root }) with
        {
            Environment = Environment.GetValueOrDefault,
            WorkingDirectory = Root,
            Warn = w => warnings?.Add(w),
        });

    public ComposeProject Load(params string[] files) => Load(new LoadOptions { Files = files, Environment = _ => null, WorkingDirectory = Root });

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
}
