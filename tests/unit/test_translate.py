"""The translator: docker's parse() order, the create body, the API-version rules. Pure."""

import json
from pathlib import Path

import pytest

from runmagic.grammar.parser import parse_line
from runmagic.errors import FlagError, UsageError
from runmagic.errors import PlainError
from runmagic.translate import EngineInfo, adapt_to_api, check_support, create_warnings, plan_run

RECORDED = Path(__file__).parent.parent / "differential" / "busybox-true-1.41.json"
ENV = {"HOME": "/nonexistent-home", "FROM_CLIENT": "yes"}


def plan(line, environ=ENV, cwd="/work", engine=None):
    return plan_run(parse_line(line), environ, cwd, engine)


def body(line, api="1.41", **kwargs):
    return adapt_to_api(plan(line, **kwargs), api).body


def refusal(line, api=None, **kwargs):
    with pytest.raises(UsageError) as info:
        made = plan(line, engine=EngineInfo(api) if api else None, **kwargs)
        adapt_to_api(made, api or "1.41")
    return info.value


def test_plain_line_is_the_body_docker_sends():
    assert body("busybox true") == json.loads(RECORDED.read_text())["body"]


def test_restart_policy_format_is_the_clients_and_the_name_the_engines():
    assert body("--restart on-failure:3 busybox")["HostConfig"]["RestartPolicy"] == {
        "Name": "on-failure", "MaximumRetryCount": 3}
    assert body("--restart bogus busybox")["HostConfig"]["RestartPolicy"]["Name"] == "bogus"
    assert body("--restart always:3 busybox")["HostConfig"]["RestartPolicy"] == {
        "Name": "always", "MaximumRetryCount": 3}
    assert str(refusal("--restart :3 busybox")) == (
        "docker: invalid restart policy format: no policy provided before colon")
    assert str(refusal("--restart on-failure:x busybox")) == (
        "docker: invalid restart policy format: maximum retry count must be an integer")


def test_rm_conflicts_with_a_restart_policy_only():
    assert str(refusal("--rm --restart always busybox")) == (
        "docker: conflicting options: cannot specify both --restart and --rm")
    assert body("--rm --restart no busybox")["HostConfig"]["AutoRemove"] is True
    assert body('--rm --restart "" busybox')["HostConfig"]["RestartPolicy"]["Name"] == ""


@pytest.mark.parametrize("line, message", [
    ("--mac-address bad --memory-swappiness 101 busybox", "bad is not a valid mac address"),
    ("--memory-swappiness 101 -v '' busybox", "invalid value: 101. Valid memory swappiness range is 0-100"),
    ("-v '' -p 80:80:80:80 busybox", "invalid empty volume spec"),
    ("-p 80:80:80:80 --expose x busybox", "invalid IP address: 80:80"),
    ("--expose x --device a:b:c:d busybox",
     'invalid range format for --expose: x, error: strconv.ParseUint: parsing "x": invalid syntax'),
    ("--pid bogus --uts bogus busybox", "--pid: invalid PID mode"),
    ("--restart x:1 --log-driver none --log-opt a=b busybox", "invalid logging opts for driver none"),
    ("--log-driver none --log-opt a=b --security-opt foo busybox", "invalid logging opts for driver none"),
    ("--security-opt foo --storage-opt bad busybox", 'Invalid --security-opt: "foo"'),
    ("--storage-opt bad --no-healthcheck --health-cmd x busybox", "invalid storage option"),
    ("--no-healthcheck --health-cmd x --rm --restart always busybox",
     "--no-healthcheck conflicts with --health-* options"),
    ("--rm --restart always --network-alias x busybox",
     "conflicting options: cannot specify both --restart and --rm"),
])
def test_parse_refuses_in_dockers_order(line, message):
    error = refusal(line)
    assert str(error) == "docker: " + message
    assert error.exit_status == 125


def test_pull_is_checked_before_parse_and_after_support():
    assert str(refusal("--pull bogus --restart always --rm busybox")) == (
        "docker: invalid pull option: 'bogus': must be one of \"always\", \"missing\" or \"never\"")
    error = refusal("--annotation a=b --pull bogus busybox", api="1.41")
    assert str(error) == ('"--annotation" requires API version 1.43, but the Docker daemon API '
                          "version is 1.41")
    assert error.exit_status == 1


def test_unsupported_flags_are_listed_in_name_order_with_status_1():
    with pytest.raises(PlainError) as info:
        check_support({"cpu-count", "annotation", "rm"}, "1.41", "linux")
    assert str(info.value).splitlines() == [
        '"--annotation" requires API version 1.43, but the Docker daemon API version is 1.41',
        '"--cpu-count" is only supported on a Docker daemon running on windows, but the Docker '
        "daemon is running on linux",
    ]
    assert info.value.exit_status == 1
    check_support({"annotation", "cpu-count"}, "1.44", "windows")


def test_the_os_is_asked_only_for_os_limited_flags():
    def no_asking():
        raise AssertionError("asked the daemon's OS")

    plan("--rm busybox", engine=EngineInfo("1.41", no_asking))
    with pytest.raises(PlainError):
        plan("--io-maxiops 1 busybox", engine=EngineInfo("1.41", lambda: "linux"))


def test_attach_with_detach_is_status_1_without_prefix():
    error = refusal("-a stdin -d busybox")
    assert isinstance(error, PlainError)
    assert (str(error), error.exit_status) == (
        "conflicting options: cannot specify both --attach and --detach", 1)


def test_detach_and_interactive_attach_fields():
    config = body("-dit busybox")
    assert (config["AttachStdin"], config["AttachStdout"], config["AttachStderr"],
            config["OpenStdin"], config["StdinOnce"], config["Tty"]) == (False, False, False, True, False, True)
    config = body("-i -a stdout busybox")
    assert (config["AttachStdin"], config["AttachStdout"], config["AttachStderr"],
            config["StdinOnce"]) == (True, True, False, True)


def test_validators_give_objects_the_translator_places():
    host = body("--ulimit nofile=10:20 --ulimit core=1 --mount type=tmpfs,dst=/t "
                "--blkio-weight-device /dev/sda:200 --device-read-bps /dev/sda:1mb "
                "--gpus all --device vendor.com/c=x busybox")["HostConfig"]
    assert host["Ulimits"] == [{"Name": "core", "Hard": 1, "Soft": 1},
                               {"Name": "nofile", "Hard": 20, "Soft": 10}]
    assert host["Mounts"] == [{"Type": "tmpfs", "Target": "/t"}]
    assert host["BlkioWeightDevice"] == [{"Path": "/dev/sda", "Weight": 200}]
    assert host["BlkioDeviceReadBps"] == [{"Path": "/dev/sda", "Rate": 1 << 20}]
    assert host["DeviceRequests"] == [
        {"Driver": "", "Count": -1, "DeviceIDs": None, "Capabilities": [["gpu"]], "Options": {}},
        {"Driver": "cdi", "Count": 0, "DeviceIDs": ["vendor.com/c=x"], "Capabilities": None,
         "Options": None}]


def test_env_files_then_collapsed_e_values():
    environ = dict(ENV)
    config = body("-e A=1 -e FROM_CLIENT -e A=2 -e UNSET busybox", environ=environ)
    assert config["Env"] == ["A=2", "FROM_CLIENT=yes", "UNSET"]


def test_proxies_of_the_cli_config_file_are_added(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps(
        {"proxies": {"default": {"httpProxy": "http://p:3128"}}}))
    environ = {**ENV, "DOCKER_CONFIG": str(tmp_path)}
    assert body("-e http_proxy=mine busybox", environ=environ)["Env"] == [
        "http_proxy=mine", "HTTP_PROXY=http://p:3128"]


def test_network_defaults_and_endpoints():
    config = body("--network none busybox")
    assert config["HostConfig"]["NetworkMode"] == "none"
    assert config["NetworkingConfig"] == {"EndpointsConfig": {}}
    endpoints = body("--network mynet --network-alias a --ip 10.0.0.2 busybox")[
        "NetworkingConfig"]["EndpointsConfig"]
    assert endpoints["mynet"]["Aliases"] == ["a"]
    assert endpoints["mynet"]["IPAMConfig"] == {"IPv4Address": "10.0.0.2"}


def test_healthcheck_zero_fields_are_left_out():
    assert body("--health-cmd 'exit 0' --health-interval 1s busybox")["Healthcheck"] == {
        "Test": ["CMD-SHELL", "exit 0"], "Interval": 1_000_000_000}
    assert body("--no-healthcheck busybox")["Healthcheck"] == {"Test": ["NONE"]}


def test_omitempty_fields_only_when_set():
    host = body("busybox")["HostConfig"]
    for key in ("KernelMemory", "StorageOpt", "Tmpfs", "Sysctls", "Annotations", "Runtime",
                "Mounts", "Init"):
        assert key not in host
    host = body("--init=false --tmpfs /run:size=1m --sysctl net.a=1 --runtime runc busybox")[
        "HostConfig"]
    assert (host["Init"], host["Tmpfs"], host["Sysctls"], host["Runtime"]) == (
        False, {"/run": "size=1m"}, {"net.a": "1"}, "runc")


def test_entrypoint_empty_clears_it():
    assert body("--entrypoint '' busybox")["Entrypoint"] == [""]
    assert body("--entrypoint= busybox")["Entrypoint"] == [""]
    assert body("busybox")["Entrypoint"] is None


# -------------------------------------------------------------- API versions


def test_kernel_memory_is_sent_to_api_1_40_and_1_41_only():
    line = "--kernel-memory 64m busybox"
    assert body(line, "1.41")["HostConfig"]["KernelMemory"] == 64 << 20
    assert body(line, "1.40")["HostConfig"]["KernelMemory"] == 64 << 20
    assert "KernelMemory" not in body(line, "1.42")["HostConfig"]
    assert "KernelMemory" not in body(line, "1.39")["HostConfig"]


def test_stop_timeout_needs_1_25():
    assert body("--stop-timeout 3 busybox", "1.25")["StopTimeout"] == 3
    with pytest.raises(UsageError) as info:
        adapt_to_api(plan("--stop-timeout 3 busybox"), "1.24")
    assert str(info.value) == ('docker: "stop timeout" requires API version 1.25, but the Docker '
                               "daemon API version is 1.24")


def test_mac_address_per_network_needs_1_44():
    with pytest.raises(UsageError) as info:
        adapt_to_api(plan("--mac-address 02:42:ac:11:00:02 busybox"), "1.41")
    assert str(info.value) == ('docker: "specify mac-address per network" requires API version '
                               "1.44, but the Docker daemon API version is 1.41")
    assert info.value.exit_status == 125
    new = body("--mac-address 02:42:ac:11:00:02 busybox", "1.44")
    assert "MacAddress" not in new
    assert new["NetworkingConfig"]["EndpointsConfig"]["default"]["MacAddress"] == "02:42:ac:11:00:02"


def test_bind_recursive_readonly_needs_1_44():
    line = ("--mount type=bind,src=/a,dst=/b,bind-recursive=readonly,ro,bind-propagation=rprivate "
            "busybox")
    with pytest.raises(UsageError, match="bind-recursive=readonly requires API v1.44 or later"):
        adapt_to_api(plan(line), "1.41")
    assert body(line, "1.44")["HostConfig"]["Mounts"][0]["BindOptions"][
        "ReadOnlyForceRecursive"] is True


def test_platform_from_1_41_and_from_the_environment():
    made = plan("--platform linux busybox")
    assert adapt_to_api(made, "1.41").platform.startswith("linux/")
    assert adapt_to_api(made, "1.40").platform == ""
    made = plan("busybox", environ={**ENV, "DOCKER_DEFAULT_PLATFORM": "linux/arm64"})
    assert made.platform == "linux/arm64"
    assert adapt_to_api(made, "1.41").platform == "linux/arm64"
    with pytest.raises(UsageError, match="error parsing specified platform"):
        adapt_to_api(plan("--platform bogus/x/y/z busybox"), "1.41")
    # Given on the line, --platform is checked against API 1.32 as a flag.
    with pytest.raises(PlainError, match='"--platform" requires API version 1.32'):
        plan("--platform linux busybox", engine=EngineInfo("1.30"))


def test_console_size_and_auto_remove_on_old_engines():
    assert body("--rm busybox", "1.24")["HostConfig"]["AutoRemove"] is False
    assert body("--rm busybox", "1.25")["HostConfig"]["AutoRemove"] is True


def test_image_reference_is_checked_at_create():
    with pytest.raises(UsageError) as info:
        adapt_to_api(plan("UPPER"), "1.41")
    assert str(info.value) == (
        "docker: invalid reference format: repository name (library/UPPER) must be lowercase")
    with pytest.raises(UsageError, match="^docker: invalid reference format$"):
        adapt_to_api(plan("busybox:Bad^"), "1.41")


def test_use_api_socket_mounts_the_engine_socket():
    mounts = body("--use-api-socket busybox", environ={**ENV, "DOCKER_HOST": "unix:///run/d.sock"})[
        "HostConfig"]["Mounts"]
    assert mounts == [{"Type": "bind", "Source": "/run/d.sock", "Target": "/var/run/docker.sock",
                       "BindOptions": {}}]
    with pytest.raises(UsageError, match="can only be used with unix sockets"):
        body("--use-api-socket busybox", environ={**ENV, "DOCKER_HOST": "tcp://1.2.3.4:2375"})


def test_localhost_dns_warning():
    assert create_warnings(body("--dns 127.0.0.1 --dns 8.8.8.8 busybox")) == [
        "Localhost DNS (127.0.0.1) may fail in containers."]
    assert create_warnings(body("--dns 8.8.8.8 busybox")) == []


def test_flag_errors_come_from_the_parser():
    with pytest.raises(FlagError) as info:
        parse_line("--ulimit nofile=2:1 busybox")
    assert str(info.value) == ('invalid argument "nofile=2:1" for "--ulimit" flag: ulimit soft '
                               "limit must be less than or equal to hard limit: 2 > 1")
