using System.Globalization;

namespace Berth.Runtime.Cgroups;

/// <summary>One cgroup directory in one hierarchy: reads and writes its control files, failing with a
/// <see cref="CgroupException"/> that names the file and the value.</summary>
internal readonly record struct CgroupDirectory(ICgroupFileSystem FileSystem, string Path)
{
    public string FileOf(string name) => System.IO.Path.Join(Path, name);

    public bool Has(string name) => FileSystem.FileExists(FileOf(name));

    public string Read(string name)
    {
        var file = FileOf(name);
        try
        {
            return FileSystem.ReadFile(file);
        }
        catch (Exception e) when (CgroupException.IsFileSystemError(e))
        {
            throw CgroupException.Read(file, e);
        }
    }

    public long ReadInt64(string name)
    {
        var text = Read(name).Trim();
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CgroupException($"read {FileOf(name)}: \"{text}\" is not a number");
    }

    public void Write(string name, string value)
    {
        var file = FileOf(name);
        try
        {
            FileSystem.WriteFile(file, value);
        }
        catch (Exception e) when (CgroupException.IsFileSystemError(e))
        {
            throw CgroupException.Write(file, value, e);
        }
    }

    public void Write(string name, long value) => Write(name, value.ToString(CultureInfo.InvariantCulture));

    public void Write(string name, ulong value) => Write(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Writes, and returns the failure instead of throwing it (for writes retried in another order).</summary>
    public CgroupException? TryWrite(string name, string value)
    {
        try
        {
            Write(name, value);
            return null;
        }
        catch (CgroupException e)
        {
            return e;
        }
    }
}
