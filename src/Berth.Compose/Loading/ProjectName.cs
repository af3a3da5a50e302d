using System.Text;

namespace Berth.Compose.Loading;

/// <summary>
/// Project names as Compose wants them: lowercase letters, digits, <c>-</c> and <c>_</c>, starting with a letter or
/// digit. A name the user gives (<c>-p</c>, <c>COMPOSE_PROJECT_NAME</c>, <c>name:</c>) must already be one; a name
/// taken from the directory is made one (<c>My App</c> → <c>myapp</c>).
/// </summary>
public static class ProjectName
{
    public static string Normalize(string name)
    {
        var output = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')
                output.Append(c);
        return output.ToString().TrimStart('-', '_');
    }

    public static bool IsValid(string name) => name.Length > 0 && Normalize(name) == name;

    public static string Checked(string name) => IsValid(name)
        ? name
        : throw new ComposeException($"invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number");
}
