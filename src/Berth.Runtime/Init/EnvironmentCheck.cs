using Berth.Runtime.Stages;

namespace Berth.Runtime.Init;

/// <summary>
/// A NUL byte in the environment is refused before exec, as runc's prepareEnv refuses it (execve would cut the value
/// at it): the entry that counts for a name is its last one, so an earlier duplicate does not matter.
/// </summary>
public static class EnvironmentCheck
{
    public static void Validate(IReadOnlyList<string>? env)
    {
        if (env is null) return;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = env.Count - 1; i >= 0; i--)
        {
            var name = env[i].Split('=', 2)[0];
            if (seen.Add(name) && env[i].Contains('\0'))
                throw new StageFailedException($"invalid environment variable \"{name}\": contains nul byte (\\x00)");
        }
    }
}
