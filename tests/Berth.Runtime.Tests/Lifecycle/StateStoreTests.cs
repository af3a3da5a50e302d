using Berth.Oci.Runtime;
using Berth.Runtime.State;

namespace Berth.Runtime.Tests.Lifecycle;

public sealed class StateStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-state-").FullName;

    [Fact]
    public void A_saved_record_loads_back_and_lists()
    {
        var store = new StateStore(_root);
        store.CreateContainerDir("c1");
        store.Save(new ContainerRecord { Id = "c1", Pid = 42, Bundle = "/b", CgroupsPath = "/berth/c1", Config = "{\"hostname\": \"h\"}"u8.ToArray() });
        var loaded = store.Load("c1");
        Assert.Equal(42, loaded.Pid);
        Assert.Equal("h", loaded.Spec.Hostname);
        Assert.Equal(["c1"], store.ListIds());
        Assert.False(File.Exists(store.StateFile("c1") + ".tmp"));
    }

    [Fact]
    public void Ids_are_unique_and_validated_and_unknown_ids_are_not_found()
    {
        var store = new StateStore(_root);
        store.CreateContainerDir("c1");
        Assert.Equal("container with id exists: c1", Assert.Throws<RuntimeException>(() => store.CreateContainerDir("c1")).Message);
        Assert.Throws<RuntimeException>(() => store.CreateContainerDir("../escape"));
        Assert.Throws<RuntimeException>(() => store.CreateContainerDir(""));
        Assert.Equal("container does not exist: nope", Assert.Throws<ContainerNotFoundException>(() => store.Load("nope")).Message);
    }

    [Fact]
    public void Stopped_state_reports_no_pid()
    {
        var record = new ContainerRecord { Id = "c", Pid = 7 };
        Assert.Equal(0, record.ToOciState(ContainerStatus.Stopped).Pid);
        Assert.Equal(7, record.ToOciState(ContainerStatus.Running).Pid);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
