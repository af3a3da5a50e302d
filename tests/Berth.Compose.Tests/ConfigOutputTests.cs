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

    [Fact]
    public void Keys_follow_compose_v2s_field_order_and_json_sorts_only_the_top_level()
    {
        using var dir = new ProjectDirectory().Write("compose.yaml", """
            x-note: kept
            services:
              web:
                image: busybox
                profiles: [debug]
                healthcheck: {interval: 5s, test: "true", retries: 3, timeout: 1s}
                depends_on:
                  db: {required: false, condition: service_healthy}
              db:
                image: "busybox<1>"
            """);
        var project = dir.Load(new Loading.LoadOptions { Profiles = ["debug"], Environment = _ => null, WorkingDirectory = "/" });
        Assert.Equal("""
            name: myapp
            services:
              db:
                image: busybox<1>
                networks:
                  default: null
              web:
                profiles:
                  - debug
                depends_on:
                  db:
                    condition: service_healthy
                    required: false
                healthcheck:
                  test:
                    - CMD-SHELL
                    - "true"
                  timeout: 1s
                  interval: 5s
                  retries: 3
                image: busybox
                networks:
                  default: null
            networks:
              default:
                name: myapp_default
            x-note: kept

            """, project.ToYaml());
        Assert.Equal("""
            {
              "name": "myapp",
              "networks": {
                "default": {
                  "name": "myapp_default"
                }
              },
              "services": {
                "db": {
                  "image": "busybox\u003c1\u003e",
                  "networks": {
                    "default": null
                  }
                },
                "web": {
                  "profiles": [
                    "debug"
                  ],
                  "depends_on": {
                    "db": {
                      "condition": "service_healthy",
                      "required": false
                    }
                  },
                  "healthcheck": {
                    "test": [
                      "CMD-SHELL",
                      "true"
                    ],
                    "timeout": "1s",
                    "interval": "5s",
                    "retries": 3
                  },
                  "image": "busybox",
                  "networks": {
                    "default": null
                  }
                }
              },
              "x-note": "kept"
            }

            """, project.ToJson());
    }
}
