using System.Text.RegularExpressions;

namespace Berth.Engine.Containers;

/// <summary>Container names: Docker's grammar for given names, and <c>adjective_surname</c> for unnamed containers.</summary>
public static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "agile", "bold", "brave", "bright", "calm", "clever", "crisp", "curious", "daring", "eager", "earnest", "fair",
        "fervent", "gentle", "glad", "grand", "happy", "hardy", "honest", "humble", "jolly", "keen", "kind", "lively",
        "loyal", "lucid", "merry", "mighty", "modest", "nimble", "noble", "patient", "plucky", "polite", "proud", "quick",
        "quiet", "radiant", "rapid", "serene", "sharp", "sincere", "sleek", "smart", "steady", "sturdy", "swift", "tender",
        "thrifty", "tidy", "upbeat", "vivid", "warm", "wise", "witty", "zealous",
    ];

    private static readonly string[] Surnames =
    [
        "agnesi", "archimedes", "babbage", "bohr", "boole", "curie", "darwin", "dijkstra", "einstein", "euclid", "euler",
        "faraday", "fermat", "fermi", "feynman", "franklin", "galileo", "gauss", "goodall", "hamilton", "hawking", "hopper",
        "hypatia", "johnson", "kepler", "knuth", "lamarr", "lovelace", "maxwell", "meitner", "mendel", "newton", "noether",
        "pascal", "pasteur", "planck", "ramanujan", "ritchie", "shannon", "tesla", "thompson", "turing", "wozniak", "yalow",
    ];

    /// <summary>Validates a requested name and returns it with Docker's leading slash.</summary>
    public static string Normalize(string name)
    {
        var bare = name.StartsWith('/') ? name[1..] : name;
        if (!Valid().IsMatch(bare))
            throw new EngineException(ErrorKind.InvalidArgument,
                $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return "/" + bare;
    }

    /// <summary>A random <c>/adjective_surname</c>; <paramref name="taken"/> decides whether to draw again.</summary>
    public static string Generate(Func<string, bool> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = $"/{Adjectives[Random.Shared.Next(Adjectives.Length)]}_{Surnames[Random.Shared.Next(Surnames.Length)]}";
            if (attempt >= 10) name += Random.Shared.Next(10); // Docker's way out of a crowded namespace
            if (!taken(name)) return name;
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Valid();
}
