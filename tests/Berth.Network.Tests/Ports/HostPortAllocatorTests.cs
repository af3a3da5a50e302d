using System.Net;
using Berth.Network.Ports;

namespace Berth.Network.Tests.Ports;

public sealed class HostPortAllocatorTests
{
    private static readonly IPAddress Any = IPAddress.Any, Local = IPAddress.Loopback, Other = IPAddress.Parse("127.0.0.2");

    [Fact]
    public void Random_ports_come_in_turn_from_the_range_skipping_the_kernels_reserved_ones()
    {
        var allocator = new HostPortAllocator(40000, 40004, kernelReserved: [40001]);
        Assert.Equal([40000, 40002, 40003, 40004], Enumerable.Range(0, 4).Select(_ => allocator.Reserve("tcp", Any, 0, 0)));
        var full = Assert.Throws<PortBindException>(() => allocator.Reserve("tcp", Any, 0, 0));
        Assert.Equal("all ports are allocated", full.Message);
        Assert.Equal(40000, allocator.Reserve("udp", Any, 0, 0)); // each protocol has its own ports
    }

    [Fact]
    public void Released_port_is_not_handed_out_again_at_once()
    {
        var allocator = new HostPortAllocator(40000, 40009);
        var first = allocator.Reserve("tcp", Any, 0, 0);
        allocator.Release("tcp", Any, first);
        Assert.NotEqual(first, allocator.Reserve("tcp", Any, 0, 0));
    }

    [Fact]
    public void Taken_port_is_already_allocated_in_Dockers_words_across_any_and_specific_addresses()
    {
        var allocator = new HostPortAllocator(40000, 40009);
        Assert.Equal(8080, allocator.Reserve("tcp", Any, 8080, 8080));
        Assert.Equal("Bind for 0.0.0.0:8080 failed: port is already allocated", Assert.Throws<PortBindException>(() => allocator.Reserve("tcp", Any, 8080, 8080)).Message);
        Assert.Equal("Bind for 0.0.0.0:8080 failed: port is already allocated", Assert.Throws<PortBindException>(() => allocator.Reserve("tcp", Local, 8080, 8080)).Message);
        Assert.Equal(8080, allocator.Reserve("udp", Any, 8080, 8080));

        Assert.Equal(9090, allocator.Reserve("tcp", Local, 9090, 9090));
        Assert.Equal(9090, allocator.Reserve("tcp", Other, 9090, 9090)); // another address: no conflict
        Assert.Equal("Bind for 127.0.0.1:9090 failed: port is already allocated", Assert.Throws<PortBindException>(() => allocator.Reserve("tcp", Local, 9090, 9090)).Message);
        Assert.Throws<PortBindException>(() => allocator.Reserve("tcp", Any, 9090, 9090));
        Assert.Equal(9090, allocator.Reserve("tcp", IPAddress.IPv6Any, 9090, 9090)); // IPv6 is apart
    }

    [Fact]
    public void Host_range_gives_its_first_free_port()
    {
        var allocator = new HostPortAllocator(40000, 40009);
        allocator.Reserve("tcp", Any, 8000, 8000);
        Assert.Equal(8001, allocator.Reserve("tcp", Any, 8000, 8002));
        Assert.Equal(8002, allocator.Reserve("tcp", Any, 8000, 8002));
        Assert.Equal("all ports are allocated", Assert.Throws<PortBindException>(() => allocator.Reserve("tcp", Any, 8000, 8002)).Message);
    }

    [Fact]
    public void Range_and_reserved_ports_are_read_from_the_kernels_files()
    {
        var dir = Directory.CreateTempSubdirectory("berth-ports-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "ip_local_port_range"), "32768\t32771\n");
            File.WriteAllText(Path.Combine(dir.FullName, "ip_local_reserved_ports"), "32769-32770,8080\n");
            var allocator = HostPortAllocator.FromKernel(dir.FullName);
            Assert.Equal((32768, 32771), (allocator.First, allocator.Last));
            Assert.Equal([32768, 32771], Enumerable.Range(0, 2).Select(_ => allocator.Reserve("udp", Any, 0, 0)));
            Assert.Equal(32769, allocator.Reserve("udp", Any, 32769, 32769)); // asked for by number: reserved does not matter

            var fallback = HostPortAllocator.FromKernel(Path.Combine(dir.FullName, "missing"));
            Assert.Equal((49153, 65535), (fallback.First, fallback.Last));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Malformed_reserved_list_means_none()
    {
        Assert.Empty(HostPortAllocator.ParseReserved("80,x", 1, 65535));
        Assert.Equal([5, 6], HostPortAllocator.ParseReserved("1-6", 5, 9));
    }
}
