using Berth.Engine.Containers.Oci;

namespace Berth.Engine.Tests.Containers.Oci;

/// <summary>--user and --group-add against the rootfs's own passwd and group files (moby/sys/user's rules).</summary>
public sealed class UserResolverTests : IDisposable
{
    private readonly OciFixture _fx = new();

    private Berth.Oci.Runtime.User Resolve(string? user, params string[] groupAdd) => UserResolver.Resolve(_fx.Rootfs, user, groupAdd);

    [Fact]
    public void No_user_is_root_with_its_group()
    {
        var u = Resolve("");
        Assert.Equal((0u, 0u), (u.Uid, u.Gid));
        Assert.Equal([0u], u.AdditionalGids!);
    }

    [Fact]
    public void A_name_takes_uid_gid_and_the_groups_listing_it()
    {
        var u = Resolve("app");
        Assert.Equal((1000u, 1000u), (u.Uid, u.Gid));
        Assert.Equal([1000u, 29u, 44u], u.AdditionalGids!);
    }

    [Fact]
    public void A_uid_in_passwd_is_that_user()
    {
        var u = Resolve("33");
        Assert.Equal((33u, 33u), (u.Uid, u.Gid));
        Assert.Equal([33u, 44u], u.AdditionalGids!);
    }

    [Fact]
    public void A_uid_not_in_passwd_is_fine_with_gid_0()
    {
        var u = Resolve("4242");
        Assert.Equal((4242u, 0u), (u.Uid, u.Gid));
        Assert.Equal([0u], u.AdditionalGids!);
    }

    [Fact]
    public void An_explicit_group_replaces_the_gid_and_drops_membership_groups()
    {
        var byName = Resolve("app:docker");
        Assert.Equal((1000u, 999u), (byName.Uid, byName.Gid));
        Assert.Equal([999u], byName.AdditionalGids!);
        var byNumber = Resolve("4242:4343");
        Assert.Equal((4242u, 4343u), (byNumber.Uid, byNumber.Gid));
    }

    [Fact]
    public void Unknown_names_are_dockers_errors()
    {
        Assert.Equal("unable to find user nobody: no matching entries in passwd file", OciFixture.Invalid(() => Resolve("nobody")).Message);
        Assert.Equal("unable to find group nogroup: no matching entries in group file", OciFixture.Invalid(() => Resolve("app:nogroup")).Message);
        Assert.Equal("unable to find group staff: no matching entries in group file", OciFixture.Invalid(() => Resolve("app", "staff")).Message);
    }

    [Fact]
    public void Group_add_appends_names_and_numbers_once_each()
    {
        var u = Resolve("app", "docker", "5", "777", "docker");
        Assert.Equal([1000u, 29u, 44u, 999u, 5u, 777u], u.AdditionalGids!);
    }

    [Fact]
    public void A_missing_passwd_allows_numeric_users_only()
    {
        File.Delete(Path.Combine(_fx.Rootfs, "etc/passwd"));
        Assert.Equal(1234u, Resolve("1234").Uid);
        Assert.Equal(0u, Resolve("").Uid);
        Assert.Equal("unable to find user app: no matching entries in passwd file", OciFixture.Invalid(() => Resolve("app")).Message);
    }

    [Fact]
    public void Out_of_range_ids_are_refused() =>
        Assert.Equal("uids and gids must be in range 0-2147483647", OciFixture.Invalid(() => Resolve("4294967296")).Message);

    [Fact]
    public void A_passwd_symlink_out_of_the_rootfs_resolves_inside_it()
    {
        // The host's file the link points at holds a user the image does not have.
        var outside = Path.Combine(_fx.Root, "host-passwd");
        File.WriteAllText(outside, "intruder:x:0:0::/:/bin/sh\n");
        _fx.Write("etc/real-passwd", "inside:x:7:7::/:/bin/sh\n");
        var passwd = Path.Combine(_fx.Rootfs, "etc/passwd");
        File.Delete(passwd);
        File.CreateSymbolicLink(passwd, "../../host-passwd");
        Assert.Equal("unable to find user intruder: no matching entries in passwd file", OciFixture.Invalid(() => Resolve("intruder")).Message);

        File.Delete(passwd);
        File.CreateSymbolicLink(passwd, "/etc/real-passwd"); // absolute: the rootfs's /etc, not the host's
        Assert.Equal(7u, Resolve("inside").Uid);
    }

    [Fact]
    public void Working_directory_is_created_inside_the_rootfs_even_through_a_link_out()
    {
        Directory.CreateSymbolicLink(Path.Combine(_fx.Rootfs, "app"), "/../../escaped");
        RootfsFiles.CreateWorkingDirectory(_fx.Rootfs, "/app/data");
        Assert.True(Directory.Exists(Path.Combine(_fx.Rootfs, "escaped/data")));
        Assert.False(Directory.Exists(Path.Combine(_fx.Root, "escaped")));
    }

    [Fact]
    public void A_working_directory_that_is_a_file_is_refused()
    {
        _fx.Write("srv", "not a directory");
        Assert.Equal("Cannot mkdir: /srv is not a directory", OciFixture.Invalid(() => RootfsFiles.CreateWorkingDirectory(_fx.Rootfs, "/srv")).Message);
    }

    public void Dispose() => _fx.Dispose();
}
