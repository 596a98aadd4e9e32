"""The line parser follows pflag's rules as docker's CLI configures them."""

import pytest

from runmagic.grammar.parser import parse_line, usage_text
from runmagic.errors import FlagError, UsageError
from runmagic.grammar.run_flags import BY_NAME, FLAGS
from runmagic.grammar.options.network import NetworkAttachment


def test_parsing_stops_at_the_image():
    run = parse_line("--rm true busybox --name x")
    assert run.image == "true"
    assert run.container_command == ["busybox", "--name", "x"]
    assert run.given == {"rm": True}


def test_double_dash_ends_flags():
    run = parse_line("-i -- -image cmd")
    assert run.image == "-image" and run.container_command == ["cmd"]


def test_grouped_shorts_and_attached_values():
    run = parse_line("-dit -p8080:80 -e=A=B -eC=D busybox")
    assert run.given == {"detach": True, "interactive": True, "tty": True,
                         "publish": ["8080:80"], "env": ["A=B", "C=D"]}


def test_short_value_swallows_the_rest_of_the_group():
    assert parse_line("-vi busybox").given == {"volume": ["i"]}


def test_value_is_next_token_even_with_a_dash():
    run = parse_line("--name -weird -e --rm busybox")
    assert run.given == {"name": "-weird", "env": ["--rm"]}


def test_long_forms_with_equals_and_space():
    run = parse_line("--rm=false --name=a --hostname b busybox")
    assert run.given == {"rm": False, "name": "a", "hostname": "b"}


def test_h_is_hostname_and_aliases_map_to_their_flag():
    run = parse_line("-h box --net none --net-alias x --dns-opt ndots:1 busybox")
    assert run.given == {"hostname": "box", "network": [NetworkAttachment("none")],
                         "network-alias": ["x"], "dns-option": ["ndots:1"]}


def test_quotes_are_removed_like_a_shell():
    run = parse_line("""-e A="b c" -e 'D=e f' busybox sh -c 'echo "$A"'""")
    assert run.given["env"] == ["A=b c", "D=e f"]
    assert run.container_command == ["sh", "-c", 'echo "$A"']


def test_last_value_wins_for_scalars():
    assert parse_line("--name a --name b busybox").given["name"] == "b"


def test_it_equals_true():
    assert parse_line("-it=true busybox").given == {"interactive": True, "tty": True}


@pytest.mark.parametrize("line, message", [
    ("--foo busybox", "unknown flag: --foo"),
    ("-z busybox", "unknown shorthand flag: 'z' in -z"),
    ("-itz busybox", "unknown shorthand flag: 'z' in -z"),
    ("--nam x busybox", "unknown flag: --nam"),
    ("--name", "flag needs an argument: --name"),
    ("-m", "flag needs an argument: 'm' in -m"),
    ("---x busybox", "bad flag syntax: ---x"),
    ("--=x busybox", "bad flag syntax: --=x"),
    ("--rm=maybe busybox",
     'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax'),
    ("-m 1x busybox", "invalid argument \"1x\" for \"-m, --memory\" flag: invalid suffix: 'x'"),
    ("--cpus 1/0 busybox",
     'invalid argument "1/0" for "--cpus" flag: failed to parse 1/0 as a rational number'),
    ("-c 1.5 busybox",
     'invalid argument "1.5" for "-c, --cpu-shares" flag: strconv.ParseInt: parsing "1.5": invalid syntax'),
])
def test_flag_errors_in_dockers_words(line, message):
    with pytest.raises(FlagError) as info:
        parse_line(line)
    assert str(info.value) == message
    assert info.value.exit_status == 125


def test_missing_image_is_status_1():
    with pytest.raises(UsageError) as info:
        parse_line("--rm")
    assert info.value.exit_status == 1
    assert str(info.value) == "docker: 'docker run' requires at least 1 argument"


def test_unterminated_quote_is_a_usage_error():
    with pytest.raises(UsageError):
        parse_line("busybox echo 'oops")


def test_help_stops_parsing():
    assert parse_line("--help").help


def test_usage_lists_every_visible_flag_with_short_forms():
    text = usage_text()
    for flag in FLAGS:
        assert f"--{flag.name}" in text
    assert "-p, --publish list" in text
    assert '--pull string' in text and '(default "missing")' in text
    assert "--sig-proxy" in text and "(default true)" in text


def test_table_has_every_flag_of_docker_run_help():
    # The names docker run --help lists (docker CLI 28); aliases are hidden.
    expected = {
        "add-host", "annotation", "attach", "blkio-weight", "blkio-weight-device", "cap-add",
        "cap-drop", "cgroup-parent", "cgroupns", "cidfile", "cpu-count", "cpu-percent",
        "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpus",
        "cpuset-cpus", "cpuset-mems", "detach", "detach-keys", "device", "device-cgroup-rule",
        "device-read-bps", "device-read-iops", "device-write-bps", "device-write-iops",
        "disable-content-trust", "dns", "dns-option", "dns-search", "domainname", "entrypoint",
        "env", "env-file", "expose", "gpus", "group-add", "health-cmd", "health-interval",
        "health-retries", "health-start-interval", "health-start-period", "health-timeout",
        "help", "hostname", "init", "interactive", "io-maxbandwidth", "io-maxiops", "ip", "ip6",
        "ipc", "isolation", "kernel-memory", "label", "label-file", "link", "link-local-ip",
        "log-driver", "log-opt", "mac-address", "memory", "memory-reservation", "memory-swap",
        "memory-swappiness", "mount", "name", "network", "network-alias", "no-healthcheck",
        "oom-kill-disable", "oom-score-adj", "pid", "pids-limit", "platform", "privileged",
        "publish", "publish-all", "pull", "quiet", "read-only", "restart", "rm", "runtime",
        "security-opt", "shm-size", "sig-proxy", "stop-signal", "stop-timeout", "storage-opt",
        "sysctl", "tmpfs", "tty", "ulimit", "use-api-socket", "user", "userns", "uts", "volume",
        "volume-driver", "volumes-from", "workdir",
    }
    assert {f.name for f in FLAGS} == expected
    assert BY_NAME["net"] is BY_NAME["network"]


def test_options_are_wrapped_as_pflag_wraps_them():
    """docker's own help texts through our layout give docker's `docker run --help` lines."""
    from runmagic.grammar.parser import Command
    from runmagic.grammar.run_flags import DURATION, STRING, UINT16, Flag

    command = Command("run", "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]", "", (
        Flag("blkio-weight", UINT16,
             "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)"),
        Flag("cgroupns", STRING, "Cgroup namespace to use (host|private)\n"
             "'host':    Run the container in the Docker host's cgroup namespace\n"
             "'private': Run the container in its own private cgroup namespace\n"
             "'':        Use the cgroup namespace as configured by the\n"
             "           default-cgroupns-mode option on the daemon (default)"),
        Flag("health-start-period", DURATION, "Start period for the container to initialize "
             "before starting health-retries countdown (ms|s|m|h) (default 0s)", default=0),
        Flag("pull", STRING, 'Pull image before running ("always", "missing", "never")',
             default="missing"),
    ))
    expected = """\
      --blkio-weight uint16            Block IO (relative weight),
                                       between 10 and 1000, or 0 to
                                       disable (default 0)
      --cgroupns string                Cgroup namespace to use
                                       (host|private)
                                       'host':    Run the container in
                                       the Docker host's cgroup namespace
                                       'private': Run the container in
                                       its own private cgroup namespace
                                       '':        Use the cgroup
                                       namespace as configured by the
                                                  default-cgroupns-mode
                                       option on the daemon (default)
      --health-start-period duration   Start period for the container to
                                       initialize before starting
                                       health-retries countdown
                                       (ms|s|m|h) (default 0s)
      --pull string                    Pull image before running
                                       ("always", "missing", "never")
                                       (default "missing")"""
    assert usage_text(command).split("Options:\n", 1)[1] == expected


def test_help_hides_what_the_engine_cannot_take():
    text = usage_text(api_version="1.41", server_os="linux")
    assert "--annotation" not in text and "--cpu-count" not in text
    assert "--health-start-interval" not in text and "--cgroupns" in text
    assert "--annotation" in usage_text()
