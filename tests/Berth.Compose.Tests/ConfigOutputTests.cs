namespace Berth.Compose.Tests;

public sealed class ConfigOutputTests
{
    [Fact]
    public void Config_prints_the_normalised_project_as_compose_does()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            services:
              web:
                image: busybox
                command: httpd -f
                ports: ["8080:80"]
                environment: [MODE=prod, EMPTY=]
                volumes: [data:/data]
            volumes:
              data: {}
            """);
        Assert.Equal("""
            name: myapp
            services:
              web:
                command:
                  - httpd
                  - -f
                environment:
                  EMPTY: ""
                  MODE: prod
                image: busybox
                networks:
                  default: null
                ports:
                  - mode: ingress
                    target: 80
                    published: "8080"
                    protocol: tcp
                volumes:
                  - type: volume
                    source: data
                    target: /data
                    volume: {}
            networks:
              default:
                name: myapp_default
            volumes:
              data:
                name: myapp_data

            """, dir.Load().ToYaml());
    }
}
