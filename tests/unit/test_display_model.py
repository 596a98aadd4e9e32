"""A container's state from ``docker inspect``, from a create request, and across events."""

import copy

from runmagic.display.masking import MASK
from runmagic.display.model import (
    MountInfo,
    PortMapping,
    RestartPolicy,
    follow,
    removed,
    state_from_create,
    state_from_inspect,
)

IMAGE_ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
ANONYMOUS = "cb07f3813e4bbb1ef7c941c86634577efcd79a7591c750403eb08a3492ef73e1"

# Shaped as Engine 20.10 answers (trimmed): -p 127.0.0.1::80 -p 8081:81/udp -v data:/named -v /data
# -v /srv:/srv:ro --tmpfs /run:size=1m --restart on-failure:3 -e TOKEN=abc123 -e GREETING=hi
RUNNING = {
    "Id": "7b8301fd1409659b3689129ee13fd57c27acf6087ce8154ad421a5da461e390d",
    "Created": "2026-11-28T07:00:01.866791791Z",
    "Name": "/web",
    "RestartCount": 0,
    "Image": "sha256:cc2046e9693f",
    "State": {"Status": "running", "ExitCode": 0, "StartedAt": "2026-11-28T07:00:02.125783268Z",
              "FinishedAt": "0001-01-01T00:00:00Z"},
    "Config": {"Image": "busybox", "Cmd": ["httpd", "-f", "-p", "80"], "Entrypoint": None,
               "Env": ["TOKEN=abc123", "GREETING=hi", *IMAGE_ENV],
               "ExposedPorts": {"80/tcp": {}, "81/udp": {}}},
    "HostConfig": {
        "Binds": ["data:/named", "/srv:/srv:ro"], "NetworkMode": "bridge", "PublishAllPorts": False,
        "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
                         "81/udp": [{"HostIp": "", "HostPort": "8081"}]},
        "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}, "Tmpfs": {"/run": "size=1m"},
    },
    "Mounts": [
        {"Type": "volume", "Name": "data", "Source": "/var/lib/docker/volumes/data/_data",
         "Destination": "/named", "RW": True, "Propagation": ""},
        {"Type": "bind", "Source": "/srv", "Destination": "/srv", "RW": False, "Propagation": "rprivate"},
        {"Type": "volume", "Name": ANONYMOUS, "Source": f"/var/lib/docker/volumes/{ANONYMOUS}/_data",
         "Destination": "/data", "RW": True, "Propagation": ""},
    ],
    "NetworkSettings": {"Ports": {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}],
        "81/udp": [{"HostIp": "0.0.0.0", "HostPort": "8081"}, {"HostIp": "::", "HostPort": "8081"}],
    }},
}


def inspect(**changes):
    info = copy.deepcopy(RUNNING)
    for path, value in changes.items():
        target = info
        *parents, last = path.split("__")
        for key in parents:
            target = target[key]
        target[last] = value
    return info


def test_running_container():
    state = state_from_inspect(RUNNING, IMAGE_ENV)
    assert (state.name, state.short_id, state.status, state.badge) == ("web", "7b8301fd1409", "running", "running")
    assert state.command_line == "busybox httpd -f -p 80"
    assert state.started_at == "2026-11-28T07:00:02.125783268Z" and state.finished_at == ""
    assert state.restart_policy == RestartPolicy("on-failure", 3)
    assert state.ports == (
        PortMapping("80", "tcp", "127.0.0.1", "49153"),
        PortMapping("81", "udp", "0.0.0.0", "8081"),
        PortMapping("81", "udp", "::", "8081"),
    )
    assert state.env == (("TOKEN", MASK), ("GREETING", "hi"))  # the image's PATH is not the run's


def test_mounts_mark_anonymous_volumes_and_list_tmpfs():
    assert state_from_inspect(RUNNING).mounts == (
        MountInfo("volume", "", "/data", anonymous=True),
        MountInfo("volume", "data", "/named"),
        MountInfo("tmpfs", "", "/run"),
        MountInfo("bind", "/srv", "/srv", read_only=True),
    )


def test_ports_before_start_are_the_requested_ones():
    state = state_from_inspect(inspect(State__Status="created", NetworkSettings={"Ports": {}}))
    assert state.ports == (PortMapping("80", "tcp", "127.0.0.1", ""), PortMapping("81", "udp", "", "8081"))
    assert not state.ports_bound


def test_publish_all_publishes_every_exposed_port():
    state = state_from_inspect(inspect(State__Status="created", HostConfig__PortBindings={},
                                       HostConfig__PublishAllPorts=True))
    assert state.ports == (PortMapping("80", "tcp", "", ""), PortMapping("81", "udp", "", ""))


def test_host_network_discards_published_ports():
    state = state_from_inspect(inspect(HostConfig__NetworkMode="host", NetworkSettings={"Ports": {}}))
    assert state.ports == () and state.ports_discarded
    assert any(w.startswith("--network=host") for w in state.warnings)


def test_warnings():
    info = inspect(HostConfig__Privileged=True, HostConfig__PidMode="host", HostConfig__IpcMode="host",
                   HostConfig__UTSMode="host", HostConfig__UsernsMode="host",
                   HostConfig__Binds=["/var/run/docker.sock:/var/run/docker.sock", "/:/host"])
    info["Mounts"] = [
        {"Type": "bind", "Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock", "RW": True},
        {"Type": "bind", "Source": "/", "Destination": "/host", "RW": True},
    ]
    warnings = state_from_inspect(info).warnings
    assert [w.split(":")[0] for w in warnings] == [
        "--privileged", "--pid=host", "--ipc=host", "--uts=host", "--userns=host",
        "the host's root filesystem is mounted at /host", "the Docker socket is mounted at /var/run/docker.sock",
        ("port 81/udp is published on all interfaces, reachable from other machines (publish it on 127.0.0.1 to "
         "keep it local)"),
    ]


def test_loopback_ports_raise_no_warning():
    info = inspect(NetworkSettings={"Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "49153"}]}})
    assert state_from_inspect(info).warnings == ()


def test_exited_and_removed_badges():
    exited = state_from_inspect(inspect(State__Status="exited", State__ExitCode=1,
                                        State__FinishedAt="2026-11-28T07:00:03.5Z"))
    assert (exited.badge, exited.exit_code, exited.finished_at) == ("exited (1)", 1, "2026-11-28T07:00:03.5Z")
    assert exited.ports == (PortMapping("80", "tcp", "127.0.0.1", ""), PortMapping("81", "udp", "", "8081"))
    assert removed(exited).badge == "removed" and removed(exited).exit_code == 1


def test_secrets_in_the_command_are_masked_and_remembered_for_logs():
    state = state_from_inspect(inspect(Config__Cmd=["sh", "-c", "echo abc123", "--password=pw9999"]))
    assert state.command == ("sh", "-c", f"echo {MASK}", f"--password={MASK}")
    assert state.redact("log: abc123 pw9999") == f"log: {MASK} {MASK}"


def test_policy_restarts_remember_the_exit_that_caused_them():
    first = state_from_inspect(RUNNING)
    # The engine counts a restart when the container dies; inspect then says "restarting".
    dying = state_from_inspect(inspect(State__Status="restarting", State__ExitCode=1, RestartCount=1))
    state = follow(first, dying, died_with=1)
    assert (state.restart_count, state.restart_exit_code, state.badge) == (1, 1, "restarting")
    running = follow(state, state_from_inspect(inspect(RestartCount=1)))
    assert (running.restart_exit_code, running.exit_code, running.badge) == (1, 1, "running")
    # The die event may arrive after the engine already restarted it.
    fast = follow(running, state_from_inspect(inspect(RestartCount=2)), died_with=3)
    assert fast.restart_exit_code == 3
    final = follow(fast, state_from_inspect(inspect(State__Status="exited", State__ExitCode=1, RestartCount=2)),
                   died_with=1)
    assert (final.badge, final.restart_count, final.restart_exit_code) == ("exited (1)", 2, 3)
    # Replayed events (after a reconnection) change nothing.
    assert follow(final, state_from_inspect(inspect(State__Status="exited", State__ExitCode=1, RestartCount=2)),
                  died_with=1) == final


def test_restarts_counted_before_any_exit_is_known_take_the_next_die_events_exit():
    # A busy panel's first inspect, run ahead of the queued events: three restarts already
    # counted (Podman counts at the restart's start, when the exit code reads 0 again).
    created = state_from_inspect(inspect(State__Status="created"))
    ahead = follow(created, state_from_inspect(inspect(RestartCount=3)), action="start")
    assert (ahead.restart_count, ahead.restart_exit_code) == (3, None)
    queued_die = follow(ahead, state_from_inspect(inspect(State__Status="exited", State__ExitCode=1,
                                                          RestartCount=3)), died_with=1, action="die")
    assert (queued_die.badge, queued_die.restart_exit_code) == ("exited (1)", 1)
    # The later dies, of the same restarts, leave the cause known.
    later = follow(queued_die, state_from_inspect(inspect(State__Status="exited", State__ExitCode=1,
                                                          RestartCount=3)), died_with=2, action="die")
    assert later.restart_exit_code == 1


def test_state_from_a_create_request():
    body = {
        "Image": "busybox", "Cmd": ["echo", "hi"], "Entrypoint": None,
        "Env": ["DB_PASSWORD=hunter22", "URL=http://u:hunter22@h/"], "Volumes": {"/cache": {}},
        "ExposedPorts": {"80/tcp": {}},
        "HostConfig": {
            "Binds": ["/srv/www:/www:ro,rshared", "named:/named"],
            "Mounts": [{"Type": "volume", "Source": "", "Target": "/anon"},
                       {"Type": "bind", "Source": "/etc", "Target": "/host-etc", "ReadOnly": True}],
            "Tmpfs": {"/run": ""},
            "PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}]},
            "RestartPolicy": {"Name": "", "MaximumRetryCount": 0}, "NetworkMode": "none",
        },
    }
    state = state_from_create(body)
    assert state.command_line == "busybox echo hi"
    assert state.env == (("DB_PASSWORD", MASK), ("URL", f"http://u:{MASK}@h/"))
    assert state.ports == (PortMapping("80", "tcp", "127.0.0.1", ""),)
    assert state.mounts == (
        MountInfo("volume", "", "/anon", anonymous=True),
        MountInfo("volume", "", "/cache", anonymous=True),
        MountInfo("bind", "/etc", "/host-etc", read_only=True),
        MountInfo("volume", "named", "/named"),
        MountInfo("tmpfs", "", "/run"),
        MountInfo("bind", "/srv/www", "/www", read_only=True, propagation="rshared"),
    )
    assert not state.restart_policy.restarts and state.status == "created"
