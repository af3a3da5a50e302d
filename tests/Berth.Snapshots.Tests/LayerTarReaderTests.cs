using System.IO.Compression;
using System.Text;
using Berth.Linux;
using Berth.Snapshots.Layers;
using Berth.Testing;

namespace Berth.Snapshots.Tests;

/// <summary>Layers GNU tar writes and System.Formats.Tar cannot read as Docker does (Fixtures/README.md says how they were made).</summary>
public sealed class LayerTarReaderTests : IDisposable
{
    private const long SparseLength = 9 << 20;
    private readonly TempDirectory _temp = new();
    private readonly string _target;

    public LayerTarReaderTests() => _target = _temp.CreateSubdirectory("target");

    public void Dispose() => _temp.Dispose();

    private static FileStream Fixture(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Theory]
    [InlineData("sparse-gnu.tar.gz")]
    [InlineData("sparse-pax00.tar.gz")]
    [InlineData("sparse-pax01.tar.gz")]
    [InlineData("sparse-pax10.tar.gz")]
    public async Task Sparse_files_are_expanded_with_their_holes(string fixture)
    {
        await using var layer = Fixture(fixture);

        var written = await LayerApplier.ApplyAsync(layer, _target, WhiteoutMode.Delete);

        var path = Path.Combine(_target, "sparse");
        Assert.Equal(["sparse"], Directory.EnumerateFileSystemEntries(_target).Select(Path.GetFileName));
        var content = await File.ReadAllBytesAsync(path);
        Assert.Equal(SparseLength, content.Length);
        for (var i = 0; i < 8; i++)
        {
            var expected = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"seg{i}", 100)));
            Assert.Equal(expected, content.AsSpan(i << 20, expected.Length).ToArray());
            Assert.True(content.AsSpan((i << 20) + expected.Length, (1 << 20) - expected.Length).IndexOfAnyExcept((byte)0) < 0, $"MiB {i} holds only its segment");
        }
        Assert.True(content.AsSpan(8 << 20).IndexOfAnyExcept((byte)0) < 0, "the trailing hole reads as zeros");
        Assert.Equal(8 * 4096, written); // the stored segments, not the holes
        Assert.Equal(0x1A4u, FileStatus.Get(path).Permissions);
    }

    [Fact]
    public async Task Binary_xattr_values_are_written_as_their_bytes()
    {
        await using var layer = Fixture("xattrs-pax.tar.gz");

        await LayerApplier.ApplyAsync(layer, _target, WhiteoutMode.Delete);

        var file = Path.Combine(_target, "capfile");
        Assert.Equal([0xff, 0xfe, 0x00, 0x80], Xattrs.TryGet(file, "user.bin"));
        if (Privileges.IsRoot)
            Assert.Equal([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Xattrs.TryGet(file, "security.capability"));
    }

    [Fact]
    public async Task The_reader_hands_xattrs_over_as_raw_bytes()
    {
        await using var gzip = new GZipStream(Fixture("xattrs-pax.tar.gz"), CompressionMode.Decompress);
        var reader = new LayerTarReader(gzip);

        var entry = await reader.GetNextEntryAsync();

        Assert.Equal("capfile", entry!.Name);
        Assert.Equal(20, entry.Xattrs["security.capability"].Length);
        Assert.Equal("x", await new StreamReader(entry.DataStream).ReadToEndAsync());
        Assert.Null(await reader.GetNextEntryAsync());
    }

    [Fact]
    public async Task A_header_with_a_wrong_checksum_is_not_a_tar()
    {
        var tar = new LayerTar().File("a", "alpha").ToArray();
        tar[0] ^= 1;

        var error = await Assert.ThrowsAsync<SnapshotException>(() => LayerApplier.ApplyAsync(new MemoryStream(tar), _target, WhiteoutMode.Delete));

        Assert.Equal("layer is not a valid tar: a header's checksum does not match: this is not a tar archive", error.Message);
    }

    [Fact]
    public async Task A_layer_cut_inside_an_entry_is_refused()
    {
        var tar = new LayerTar().File("a", new string('x', 4000)).ToArray();

        var error = await Assert.ThrowsAsync<SnapshotException>(() => LayerApplier.ApplyAsync(new MemoryStream(tar[..2500]), _target, WhiteoutMode.Delete));

        Assert.Equal("layer is not a valid tar: the archive ends inside an entry", error.Message);
    }

    [Fact]
    public async Task Long_names_and_link_targets_come_from_the_extended_header()
    {
        var longDir = string.Concat(Enumerable.Repeat("directory-", 12));
        var target = string.Concat(Enumerable.Repeat("../", 40)) + "etc/os-release";
        await LayerApplier.ApplyAsync(new LayerTar().File(longDir + "/file", "long").Symlink("link", target).ToStream(), _target, WhiteoutMode.Delete);

        Assert.Equal("long", File.ReadAllText(Path.Combine(_target, longDir, "file")));
        Assert.Equal(target, new FileInfo(Path.Combine(_target, "link")).LinkTarget);
    }
}
