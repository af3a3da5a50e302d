using Berth.EndToEnd.Tests.Registries;
using Berth.Testing;

namespace Berth.EndToEnd.Tests;

/// <summary>docker-py (Debian's python3-docker, run by Debian's python3) against berthd: its models and its socket handling.</summary>
public sealed class DockerPyTests : IClassFixture<DaemonProcess>
{
    private const string Python = "/usr/bin/python3";
    private readonly DaemonProcess _daemon;

    public DockerPyTests(DaemonProcess daemon)
    {
        Privileges.RequireRoot();
        Assert.True(File.Exists(Python), "python3 is missing: run scripts/setup.sh");
        _daemon = daemon;
        _daemon.SeedBusybox();
    }

    [PrivilegedFact]
    public void Run_exec_reload_and_not_found_through_docker_py()
    {
        var script = Path.Combine(_daemon.Directory, "docker_py_probe.py");
        File.WriteAllText(script, $$"""
            import docker
            c = docker.DockerClient(base_url='{{_daemon.Host}}')
            print(repr(c.containers.run('busybox', ['sh', '-c', 'echo out; echo err >&2'], remove=True, network_mode='none')))
            box = c.containers.run('busybox', ['sleep', '30'], detach=True, network_mode='none', labels={'probe': 'py'})
            for command in (['sh', '-c', 'echo exec; exit 3'], ['echo', 'again']):
                result = box.exec_run(command)
                print(result.exit_code, repr(result.output))
            box.reload()
            print(box.status, box.labels['probe'], [c.name for c in c.containers.list(filters={'label': 'probe=py'})] == [box.name])
            box.remove(force=True)
            try:
                c.containers.create('no-such-image:1', 'true')
            except docker.errors.ImageNotFound:
                print('ImageNotFound')
            """);
        var result = Commands.Run(Python, [script]).Ok("docker-py probe");
        Assert.Equal(["b'out\\n'", "3 b'exec\\n'", "0 b'again\\n'", "running py True", "ImageNotFound"], result.Output.Split('\n'));
    }

    [PrivilegedFact]
    public void Login_push_and_pull_with_credentials_through_docker_py()
    {
        using var registry = RegistryProcess.Berth(auth: RegistryAuthMode.Basic);
        var script = Path.Combine(_daemon.Directory, "docker_py_registry.py");
        File.WriteAllText(script, $$"""
            import docker
            c = docker.DockerClient(base_url='{{_daemon.Host}}')
            try:
                c.login('{{RegistryProcess.User}}', 'nope', registry='{{registry.Address}}', dockercfg_path='/nonexistent')
            except docker.errors.APIError as e:
                print(e.status_code)
            print(c.login('{{RegistryProcess.User}}', '{{RegistryProcess.Password}}', registry='{{registry.Address}}', dockercfg_path='/nonexistent')['Status'])
            auth = {'username': '{{RegistryProcess.User}}', 'password': '{{RegistryProcess.Password}}'}
            c.images.get('busybox').tag('{{registry.Address}}/py/box', 'v1')
            pushed = [m for m in c.images.push('{{registry.Address}}/py/box', 'v1', auth_config=auth, stream=True, decode=True) if 'aux' in m]
            print(pushed[0]['aux']['Tag'])
            c.images.remove('{{registry.Address}}/py/box:v1')
            print('{{registry.Address}}/py/box:v1' in c.images.pull('{{registry.Address}}/py/box', 'v1', auth_config=auth).tags)
            """);
        var result = Commands.Run(Python, [script]).Ok("docker-py registry probe");
        Assert.Equal(["401", "Login Succeeded", "v1", "True"], result.Output.Split('\n'));
    }
}
