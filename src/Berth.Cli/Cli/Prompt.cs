namespace Berth.Cli.Cli;

/// <summary>docker's <c>PromptForConfirmation</c>: <c>message [y/N] </c>, yes only for a line starting with y/Y.</summary>
internal static class Prompt
{
    public static async Task<bool> ConfirmAsync(CliContext context, string message, CancellationToken cancellationToken)
    {
        await context.Out.WriteAsync(message + " [y/N] ").ConfigureAwait(false);
        var line = await ReadLineAsync(context.Console.StdinStream, cancellationToken).ConfigureAwait(false);
        return line.Trim() is "y" or "Y" or "yes" or "Yes" or "YES";
    }

    /// <summary>One line without its end; byte-wise, so no input beyond the line is consumed. Empty at end of input.</summary>
    public static async Task<string> ReadLineAsync(Stream input, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await input.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 1 && one[0] != (byte)'\n')
            bytes.Add(one[0]);
        return global::System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }
}
