using Berth.Engine.Containers.Model;
using Berth.Engine.Volumes;

namespace Berth.Engine.Tests.Volumes;

/// <summary>Docker's mount syntax: what each form means, and moby's refusals word for word.</summary>
public sealed class MountParserTests
{
    [Fact]
    public void An_absolute_source_is_a_bind_with_dockers_defaults()
    {
        var point = MountParser.ParseBind("/host/dir/:/in//ctr:ro", "").Point;
        Assert.Equal(("bind", "/host/dir", "/in/ctr", "ro", false, "rprivate", true), (point.Type, point.Source, point.Destination, point.Mode, point.RW, point.Propagation, point.CreateSource));
    }

    [Fact]
    public void A_name_is_a_named_volume_copied_up_unless_nocopy()
    {
        var named = MountParser.ParseBind("data:/data", "");
        Assert.Equal(("volume", "data", "z", true, true), (named.Point.Type, named.VolumeName, named.Point.Mode, named.Point.RW, named.Point.CopyData));
        Assert.False(MountParser.ParseBind("data:/data:nocopy,ro", "").Point.CopyData);
        Assert.Equal("shared", MountParser.ParseBind("/h:/c:shared", "").Point.Propagation);
    }

    [Fact]
    public void A_destination_alone_is_an_anonymous_volume()
    {
        var planned = MountParser.ParseBind("/data", "");
        Assert.Equal(("volume", "", "/data"), (planned.Point.Type, planned.VolumeName, planned.Point.Destination));
    }

    [Theory]
    [InlineData("/foo:rw", "invalid volume specification: '/foo:rw'")]
    [InlineData(":/x", "invalid volume specification: ':/x'")]
    [InlineData("a:b:c:d", "invalid volume specification: 'a:b:c:d'")]
    [InlineData("/a:/b:bogus", "invalid mode: bogus")]
    [InlineData("/a:/b:ro,rw", "invalid mode: ro,rw")]
    [InlineData("/a:/", "invalid volume specification: '/a:/': invalid specification: destination can't be '/'")]
    [InlineData("/a:rel", "invalid volume specification: '/a:rel': invalid mount path: 'rel' mount path must be absolute")]
    public void Bad_binds_get_mobys_errors(string raw, string message)
    {
        var error = Assert.Throws<EngineException>(() => MountParser.ParseBind(raw, ""));
        Assert.Equal((ErrorKind.InvalidArgument, message), (error.Kind, error.Message));
    }

    [Fact]
    public void A_mount_bind_needs_its_source_to_exist()
    {
        var spec = new MountSpec { Type = "bind", Source = "/nonexistent", Target = "/x" };
        var error = Assert.Throws<EngineException>(() => MountParser.ParseMount(spec, _ => false));
        Assert.Equal("invalid mount config for type \"bind\": bind source path does not exist: /nonexistent", error.Message);
        var created = MountParser.ParseMount(spec with { BindOptions = new MountBindOptions { CreateMountpoint = true } }, _ => false);
        Assert.True(created.Point.CreateSource);
    }

    [Theory]
    [InlineData("bind", "", "/x", "invalid mount config for type \"bind\": field Source must not be empty")]
    [InlineData("tmpfs", "/src", "/x", "invalid mount config for type \"tmpfs\": field Source must not be specified")]
    [InlineData("volume", "v", "", "invalid mount config for type \"volume\": field Target must not be empty")]
    [InlineData("volume", "v", "x", "invalid mount config for type \"volume\": invalid mount path: 'x' mount path must be absolute")]
    [InlineData("npipe", "v", "/x", "invalid mount config for type \"npipe\": mount type unknown")]
    public void Bad_mounts_get_mobys_errors(string type, string source, string target, string message)
    {
        var error = Assert.Throws<EngineException>(() => MountParser.ParseMount(new MountSpec { Type = type, Source = source, Target = target }, _ => true));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Options_of_another_type_are_refused()
    {
        var spec = new MountSpec { Type = "volume", Target = "/x", TmpfsOptions = new MountTmpfsOptions { SizeBytes = 1 } };
        Assert.Equal("invalid mount config for type \"volume\": field TmpfsOptions must not be specified",
            Assert.Throws<EngineException>(() => MountParser.ParseMount(spec, _ => true)).Message);
    }

    [Theory]
    [InlineData(1048576L, 0u, false, "size=1m")]
    [InlineData(1536L, 0u, false, "size=1536")]
    [InlineData(2147483648L, 1023u, true, "ro,mode=1777,size=2g")]
    public void Tmpfs_options_become_mount_data_as_moby_writes_them(long size, uint mode, bool readOnly, string data) =>
        Assert.Equal(data, MountParser.TmpfsData(new MountTmpfsOptions { SizeBytes = size, Mode = mode }, readOnly));

    [Fact]
    public void Volumes_from_takes_ro_or_rw_only()
    {
        Assert.Equal(("other", true), MountParser.ParseVolumesFrom("other:ro"));
        Assert.Equal(("other", false), MountParser.ParseVolumesFrom("other"));
        Assert.Equal("invalid mode: nocopy", Assert.Throws<EngineException>(() => MountParser.ParseVolumesFrom("other:nocopy")).Message);
    }
}
