namespace Berth.Dockerfile.Tests;

public sealed class InstructionParsingTests
{
    private static T Parse<T>(string instruction) where T : Instruction =>
        Assert.IsType<T>(Assert.Single(DockerfileParser.Parse("FROM base\n" + instruction + "\n").Stages[0].Instructions));

    private static string Error(string instruction) =>
        Assert.Throws<DockerfileException>(() => DockerfileParser.Parse("FROM base\n" + instruction + "\n")).Message
            .Replace("dockerfile parse error on line 2: ", "");

    [Fact]
    public void From_takes_platform_and_a_stage_name()
    {
        var from = DockerfileParser.Parse("FROM --platform=$BUILDPLATFORM golang:1.22 as Builder").Stages[0].From;

        Assert.Equal(("golang:1.22", "builder", "$BUILDPLATFORM"), (from.Image, from.StageName, from.Platform));
        Assert.Equal("FROM --platform=$BUILDPLATFORM golang:1.22 as Builder", from.Original);
    }

    [Fact]
    public void Run_shell_form_keeps_the_text_and_exec_form_the_strings()
    {
        var shell = Parse<RunInstruction>("RUN echo \"a  b\" && ls");
        var exec = Parse<RunInstruction>("RUN [\"echo\", \"a  b\"]");

        Assert.Equal(["echo \"a  b\" && ls"], shell.Command.Arguments);
        Assert.True(shell.Command.PrependShell);
        Assert.Equal(["echo", "a  b"], exec.Command.Arguments);
        Assert.False(exec.Command.PrependShell);
    }

    [Theory]
    [InlineData("CMD [\"a\", 'b']")]
    [InlineData("CMD [\"unterminated\"")]
    [InlineData("CMD {\"a\": 1}")]
    public void Invalid_json_falls_back_to_the_shell_form(string instruction)
    {
        var cmd = Parse<CmdInstruction>(instruction);

        Assert.True(cmd.Command.PrependShell);
        Assert.Equal(instruction[4..], Assert.Single(cmd.Command.Arguments));
    }

    [Fact]
    public void Entrypoint_and_cmd_take_the_empty_exec_form()
    {
        Assert.Empty(Parse<EntrypointInstruction>("ENTRYPOINT []").Command.Arguments);
        Assert.False(Parse<CmdInstruction>("CMD []").Command.PrependShell);
    }

    [Fact]
    public void Run_flags_give_mounts_network_and_security()
    {
        var run = Parse<RunInstruction>(
            "RUN --mount=type=cache,target=/root/.cache,Sharing=locked --mount=type=bind,source=go.sum,target=/src/go.sum,ro --network=none --security=insecure go build");

        Assert.Equal(["cache", "bind"], run.Mounts.Select(m => m.Type));
        Assert.Equal("/root/.cache", run.Mounts[0].Target);
        Assert.Equal("locked", run.Mounts[0].Options["sharing"]);
        Assert.Equal("true", run.Mounts[1].Options["ro"]);
        Assert.Equal(("none", "insecure"), (run.Network, run.Security));
        Assert.Equal(["go build"], run.Command.Arguments);
    }

    [Fact]
    public void A_mount_without_type_is_a_bind_and_csv_quotes_protect_commas()
    {
        var mount = Assert.Single(Parse<RunInstruction>("RUN --mount='\"target=/a,b\"',from=stage true").Mounts);

        Assert.Equal("bind", mount.Type);
        Assert.Equal(("/a,b", "stage"), (mount.Target, mount.Options["from"]));
    }

    [Theory]
    [InlineData("RUN --mount=type=volume,target=/x true", "unsupported mount type \"volume\"")]
    [InlineData("RUN --mount=type=cach,target=/x true", "unsupported mount type \"cach\" (did you mean cache?)")]
    [InlineData("RUN --mount=target=/x,colour=red true", "unexpected key 'colour' in 'colour=red'")]
    [InlineData("RUN --mount=target=/x,bogus true", "invalid field 'bogus' must be a key=value pair")]
    [InlineData("RUN --mount=type=cache,target=/x,sharing=none true", "unsupported sharing value \"none\"")]
    [InlineData("RUN --mount=type=bind,target=/x,mode=0755 true", "mode not allowed for \"bind\" type mounts")]
    [InlineData("RUN --mount=type=cache,target=/x,uid=abc true", "invalid value abc for uid")]
    [InlineData("RUN --mount=type=cache,target=/x,from=$STAGE true", "'from' doesn't support variable expansion, define alias stage instead")]
    [InlineData("RUN --network=bridge true", "invalid network mode \"bridge\"")]
    [InlineData("RUN --security=root true", "security \"root\" is not valid")]
    [InlineData("RUN --network true", "missing a value on flag: --network")]
    [InlineData("RUN --network=none --network=host true", "duplicate flag specified: --network")]
    public void Bad_run_flags_are_refused_with_buildkits_message(string instruction, string message) =>
        Assert.Equal(message, Error(instruction));

    [Fact]
    public void Shell_requires_json()
    {
        Assert.Equal(["/bin/bash", "-c"], Parse<ShellInstruction>("SHELL [\"/bin/bash\", \"-c\"]").Shell);
        Assert.Equal("SHELL requires the arguments to be in JSON form", Error("SHELL /bin/bash -c"));
        Assert.Equal("SHELL requires at least one argument", Error("SHELL []"));
    }

    [Fact]
    public void Env_takes_the_legacy_pair_and_key_value_pairs_keeping_quotes()
    {
        var legacy = Parse<EnvInstruction>("ENV GREETING hello   \"big\" world");
        var pairs = Parse<EnvInstruction>("ENV A=1 B=\"two words\" C=three\\ words D=");

        Assert.Equal([new KeyValue("GREETING", "hello   \"big\" world")], legacy.Variables);
        Assert.Equal([new("A", "1"), new("B", "\"two words\""), new("C", "three\\ words"), new("D", "")], pairs.Variables);
        Assert.Equal("ENV requires at least one argument", Error("ENV"));
        Assert.Equal("ENV names can not be blank", Error("ENV =x"));
    }

    [Fact]
    public void Label_takes_pairs_with_quoted_keys()
    {
        var label = Parse<LabelInstruction>("LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0");

        Assert.Equal([new("\"com.example.vendor\"", "\"ACME Inc\""), new("version", "1.0")], label.Labels);
    }

    [Fact]
    public void Expose_sorts_its_ports_as_docker_does() =>
        Assert.Equal(["443/tcp", "80", "8080/udp"], Parse<ExposeInstruction>("EXPOSE 8080/udp 80 443/tcp").Ports);

    [Fact]
    public void Copy_takes_its_flags_sources_and_destination()
    {
        var copy = Parse<CopyInstruction>(
            "COPY --from=build --chown=app:app --chmod=0755 --link --exclude=*.md --exclude=tmp --parents a b* /dst/");

        Assert.False(copy.IsAdd);
        Assert.Equal(["a", "b*"], copy.Sources);
        Assert.Equal("/dst/", copy.Destination);
        Assert.Equal(("build", "app:app", "0755"), (copy.From, copy.Chown, copy.Chmod));
        Assert.True(copy.Link && copy.Parents);
        Assert.Equal(["*.md", "tmp"], copy.Excludes);
    }

    [Fact]
    public void Copy_json_form_keeps_spaces_in_paths() =>
        Assert.Equal(["a b", "c"], Parse<CopyInstruction>("COPY [\"a b\", \"c\", \"/x y/\"]").Sources);

    [Fact]
    public void Add_takes_checksum_keep_git_dir_and_unpack_but_not_from()
    {
        var add = Parse<CopyInstruction>("ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false https://x/y.tar /y");

        Assert.True(add.IsAdd);
        Assert.Equal("ADD", add.Keyword);
        Assert.Equal(("sha256:abc", true, (bool?)false), (add.Checksum, add.KeepGitDir, add.Unpack));
        Assert.Equal("unknown flag: --from", Error("ADD --from=x a b"));
        Assert.Equal("unknown flag: --checksum", Error("COPY --checksum=x a b"));
        Assert.Equal("expecting boolean value for flag --link, not: yes", Error("COPY --link=yes a b"));
        Assert.Equal("missing a value on flag: --link", Error("COPY --link= a b"));
    }

    [Fact]
    public void Volume_takes_json_or_words()
    {
        Assert.Equal(["/a", "/b"], Parse<VolumeInstruction>("VOLUME /a /b").Paths);
        Assert.Equal(["/a b"], Parse<VolumeInstruction>("VOLUME [\"/a b\"]").Paths);
        Assert.Equal("VOLUME specified can not be an empty string", Error("VOLUME [\" \"]"));
        Assert.Equal("VOLUME requires at least one argument", Error("VOLUME"));
    }

    [Fact]
    public void User_workdir_stopsignal_and_maintainer_take_the_whole_rest()
    {
        Assert.Equal("app:staff", Parse<UserInstruction>("USER app:staff").User);
        Assert.Equal("/my dir", Parse<WorkdirInstruction>("WORKDIR /my dir").Path);
        Assert.Equal("SIGTERM", Parse<StopSignalInstruction>("STOPSIGNAL SIGTERM").Signal);
        Assert.Equal("Jane <j@x.org>", Parse<MaintainerInstruction>("MAINTAINER Jane <j@x.org>").Maintainer);
        Assert.Equal("WORKDIR requires exactly one argument", Error("WORKDIR"));
    }

    [Fact]
    public void Arg_takes_several_names_with_optional_defaults()
    {
        var arg = Parse<ArgInstruction>("ARG A B=2 C=\"x y\" D=");

        Assert.Equal([new("A", null), new("B", "2"), new("C", "\"x y\""), new("D", "")], arg.Arguments);
        Assert.Equal("ARG names can not be blank", Error("ARG =1"));
        Assert.Equal("ARG requires at least one argument", Error("ARG"));
    }

    [Fact]
    public void Onbuild_keeps_its_trigger_text()
    {
        Assert.Equal("RUN echo hi", Parse<OnbuildInstruction>("ONBUILD RUN echo hi").Trigger);
        Assert.Equal("COPY . /app", Parse<OnbuildInstruction>("onbuild   COPY . /app").Trigger);
    }

    [Theory]
    [InlineData("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD maintainer x", "MAINTAINER isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD", "ONBUILD requires at least one argument")]
    public void Onbuild_refuses_what_docker_refuses(string instruction, string message) => Assert.Equal(message, Error(instruction));

    [Fact]
    public void Healthcheck_reads_its_options_and_both_command_forms()
    {
        var shell = Parse<HealthcheckInstruction>(
            "HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=1.5s --start-interval=2s --retries=3 CMD curl -f http://localhost/");
        var exec = Parse<HealthcheckInstruction>("HEALTHCHECK CMD [\"curl\", \"-f\", \"http://x/\"]");

        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/"], shell.Test);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500)), (shell.Interval, shell.Timeout));
        Assert.Equal((TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2), 3), (shell.StartPeriod, shell.StartInterval, shell.Retries));
        Assert.Equal(["CMD", "curl", "-f", "http://x/"], exec.Test);
        Assert.Null(exec.Interval);
        Assert.Equal(["NONE"], Parse<HealthcheckInstruction>("HEALTHCHECK none").Test);
    }

    [Theory]
    [InlineData("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments")]
    [InlineData("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD")]
    [InlineData("HEALTHCHECK RUN x", "Unknown type \"RUN\" in HEALTHCHECK (try CMD)")]
    [InlineData("HEALTHCHECK --interval=5 CMD x", "time: missing unit in duration \"5\"")]
    [InlineData("HEALTHCHECK --interval=5y CMD x", "time: unknown unit \"y\" in duration \"5y\"")]
    [InlineData("HEALTHCHECK --timeout=abc CMD x", "time: invalid duration \"abc\"")]
    [InlineData("HEALTHCHECK --interval=10us CMD x", "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --retries=-1 CMD x", "--retries cannot be negative (-1)")]
    [InlineData("HEALTHCHECK --retries=x CMD x", "strconv.ParseInt: parsing \"x\": invalid syntax")]
    [InlineData("HEALTHCHECK", "HEALTHCHECK requires at least one argument")]
    public void Healthcheck_errors_are_dockers(string instruction, string message) => Assert.Equal(message, Error(instruction));

    [Fact]
    public void A_double_dash_ends_the_flags()
    {
        var copy = Parse<CopyInstruction>("COPY --link -- --weird-name /dst");

        Assert.True(copy.Link);
        Assert.Equal(["--weird-name"], copy.Sources);
    }
}
