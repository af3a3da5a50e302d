using System.Text.Encodings.Web;
using System.Text.Json;
using Berth.Api.Client;
using Berth.Cli.Cli;
using Berth.Cli.Templates;
using Berth.Cli.Formatting;

namespace Berth.Cli.Commands.System;

/// <summary>
/// <c>berth inspect</c> (any object: containers, then images, then networks), <c>container inspect</c> and
/// <c>image inspect</c>: the daemon's JSON as an indented array, or each object through <c>--format</c>.
/// Missing objects are reported after the output, exit 1.
/// </summary>
internal sealed class InspectCommand(string? fixedType) : CliCommand
{
    private string _format = "";
    private string _type = "";
    private bool _size;

    public override string Name => "inspect";
    public override string Usage => fixedType switch
    {
        "container" => "[OPTIONS] CONTAINER [CONTAINER...]",
        "image" => "[OPTIONS] IMAGE [IMAGE...]",
        _ => "[OPTIONS] NAME|ID [NAME|ID...]",
    };
    public override string Short => fixedType switch
    {
        "container" => "Display detailed information on one or more containers",
        "image" => "Display detailed information on one or more images",
        _ => "Return low-level information on Berth objects",
    };
    public override ArgsRule Args => ArgsRule.AtLeast(1);

    public override void Configure(FlagSet flags)
    {
        flags.String("format", 'f', FormatHelp.Object, v => _format = v);
        if (fixedType is null or "container")
            flags.Bool("size", 's', fixedType is null ? "Display total file sizes if the type is container" : "Display total file sizes", v => _size = v);
        if (fixedType is "image")
            flags.String("platform", null, """
                Inspect a specific platform of the multi-platform image.
                If the image or the server is not multi-platform capable, the command will error out if the platform does not match.
                'os[/arch[/variant]]': Explicit platform (eg. linux/amd64)
                """, _ => { }).UnsupportedBecause(DaemonSupport.RequiresApi("1.49"));
        if (fixedType is null)
            flags.String("type", null, "Only inspect objects of the given type", v => _type = v);
    }

    public override async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var type = fixedType ?? _type;
        if (type is not ("" or "container" or "image" or "network" or "volume"))
            throw new StatusException(1, $"\"{type}\" is not a valid value for --type");
        return await InspectEachAsync(context, args, _format, name => FindAsync(context.Client, name, type, cancellationToken),
            name => NotFound(type, name)).ConfigureAwait(false);
    }

    private async Task<JsonElement?> FindAsync(IBerthClient client, string name, string type, CancellationToken cancellationToken)
    {
        if (type is "" or "container")
        {
            try
            {
                return await client.ContainerInspectRawAsync(name, _size, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
            }
        }
        if (type is "" or "image")
        {
            try
            {
                return await client.ImageInspectRawAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound)
            {
            }
        }
        // docker tries networks, then volumes, after images; asked for by type, the daemon's "network x not found" is the error.
        if (type is "" or "network")
        {
            try
            {
                return await client.NetworkInspectRawAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound && type.Length == 0)
            {
            }
        }
        if (type is "" or "volume")
        {
            try
            {
                return await client.VolumeInspectRawAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.IsNotFound && type.Length == 0)
            {
            }
        }
        return null;
    }

    private static string NotFound(string type, string name) => type switch
    {
        "container" => $"Error response from daemon: No such container: {name}",
        "image" => $"Error response from daemon: No such image: {name}",
        _ => $"Error: No such object: {name}",
    };

    /// <summary>
    /// docker's <c>inspect.Inspect</c> for one kind of object: each found one as JSON (an indented array) or through
    /// <paramref name="format"/> (an empty line when none was found); the failures reported after the output with the
    /// daemon's message, exit 1.
    /// </summary>
    /// <param name="fetch">The object's JSON; null when not found (then <paramref name="notFound"/> says so).</param>
    internal static async Task<int> InspectEachAsync(
        CliContext context, IReadOnlyList<string> names, string format, Func<string, Task<JsonElement?>> fetch, Func<string, string>? notFound = null)
    {
        var template = format.Length > 0 ? FormatTemplate.Parse(format) : null;
        var found = new List<JsonElement>();
        var errors = new List<string>();
        foreach (var name in names)
        {
            try
            {
                if (await fetch(name).ConfigureAwait(false) is not { } element)
                {
                    errors.Add(notFound!(name));
                    continue;
                }
                if (template is null)
                {
                    found.Add(element);
                    continue;
                }
                template.Execute(context.Out, element);
                await context.Out.WriteAsync('\n').ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                errors.Add(Errors.Describe(e));
            }
        }
        if (template is null)
            WriteIndented(context.Out, found);
        else if (errors.Count == names.Count)
            await context.Out.WriteAsync('\n').ConfigureAwait(false);
        return errors.Count == 0 ? 0 : throw new StatusException(1, string.Join('\n', errors));
    }

    /// <summary>
    /// docker's output: a JSON array, four-space indented, even when empty (<c>[]</c>); with <paramref name="escapeHtml"/>
    /// <c>&lt; &gt; &amp;</c> as Go's <c>json.MarshalIndent</c> writes them, for objects the CLI marshals itself.
    /// </summary>
    internal static void WriteIndented(TextWriter output, IReadOnlyList<JsonElement> elements, bool escapeHtml = false)
    {
        if (elements.Count == 0)
        {
            output.Write("[]\n");
            return;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var element in elements)
                element.WriteTo(writer);
            writer.WriteEndArray();
        }
        var text = global::System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        output.Write((escapeHtml ? GoJson.EscapeHtml(text) : text) + "\n");
    }
}
