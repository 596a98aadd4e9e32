"""Translate a parsed ``docker run`` line into the Engine API's create request.

Pure: no IPython, no docker import. ``plan_run`` mirrors the docker CLI's
``parse()`` in cli/command/container/opts.go and the run-only checks of
run.go, so that the body it builds is the one the CLI would POST to
``/containers/create`` (the CLI's zero values included, so that ``docker
inspect`` of the two containers matches).
"""

from dataclasses import dataclass, field
from typing import Mapping

from .cli import ParsedRun
from .errors import UsageError
from .flags import BY_NAME
from .opts import env as env_opts
from .opts import ports as port_opts
from .opts import volumes as volume_opts

PULL_POLICIES = ("always", "missing", "never")


@dataclass
class RunPlan:
    """Everything the execution layer needs to run one line."""

    image: str
    config: dict
    name: str | None = None
    platform: str | None = None
    detach: bool = False
    interactive: bool = False
    tty: bool = False
    auto_remove: bool = False
    sig_proxy: bool = True
    pull: str = "missing"
    quiet: bool = False
    cidfile: str = ""
    detach_keys: str = ""
    #: Flags given whose ``min_api`` the engine must meet: name -> version.
    api_requirements: dict[str, str] = field(default_factory=dict)
    #: Flags given that only a daemon of this OS accepts: name -> os.
    os_requirements: dict[str, str] = field(default_factory=dict)

    @property
    def attach_stdin(self) -> bool:
        return self.config["AttachStdin"]

    @property
    def attach_stdout(self) -> bool:
        return self.config["AttachStdout"]

    @property
    def attach_stderr(self) -> bool:
        return self.config["AttachStderr"]


def _none_if_empty(items):
    return list(items) if items else None


def _endpoint_settings(aliases=None, ipam=None, links=None, mac="", driver_opts=None) -> dict:
    """The EndpointSettings object as the CLI serialises it, zero fields included."""
    return {
        "IPAMConfig": ipam, "Links": links, "Aliases": aliases, "MacAddress": mac,
        "DriverOpts": driver_opts, "GwPriority": 0, "NetworkID": "", "EndpointID": "",
        "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "IPv6Gateway": "",
        "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": None,
    }


def _restart_policy(text: str) -> dict:
    """``--restart``: the format is the client's to check, the name the engine's."""
    name, has_count, count = text.partition(":")
    policy = {"Name": name, "MaximumRetryCount": 0}
    if has_count:
        if name != "on-failure":
            raise UsageError("invalid restart policy format: maximum retry count can only be used with 'on-failure'")
        try:
            policy["MaximumRetryCount"] = int(count)
        except ValueError:
            raise UsageError("invalid restart policy format: maximum retry count must be an integer") from None
    return policy


def plan_run(run: ParsedRun, environ: Mapping[str, str], cwd: str) -> RunPlan:
    """Build the create request for ``run``; raises UsageError as docker would."""
    given = run.given
    get = run.get

    pull = get("pull")
    if pull not in PULL_POLICIES:
        raise UsageError(f"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"")

    attach = {stream.lower() for stream in get("attach")}
    detach = get("detach")
    if detach and attach:
        raise UsageError("conflicting options: cannot specify both --attach and --detach", exit_status=1)

    exposed = port_opts.parse_expose(get("expose"))
    published_exposed, port_bindings = port_opts.parse_publish(get("publish"))
    exposed.update(published_exposed)
    binds, anonymous = volume_opts.split_volumes(get("volume"), cwd)
    env = env_opts.build_env(get("env-file"), get("env"), environ, cwd)
    labels = env_opts.build_labels(get("label-file"), get("label"), cwd)

    restart = _restart_policy(get("restart"))
    if get("rm") and restart["Name"] not in ("", "no"):
        raise UsageError("conflicting options: cannot specify both --restart and --rm")

    networks = get("network")
    network_mode = networks[0] if networks else "default"
    aliases = _none_if_empty(get("network-alias"))

    if "entrypoint" in given:
        entrypoint = [given["entrypoint"]]
    else:
        entrypoint = None

    interactive = get("interactive")
    attach_stdin = "stdin" in attach or interactive
    attach_stdout = "stdout" in attach or not attach
    attach_stderr = "stderr" in attach or not attach
    stdin_once = interactive and attach_stdin
    if detach:
        attach_stdin = attach_stdout = attach_stderr = stdin_once = False

    config = {
        "Hostname": get("hostname") or "",
        "Domainname": get("domainname") or "",
        "User": get("user") or "",
        "AttachStdin": attach_stdin,
        "AttachStdout": attach_stdout,
        "AttachStderr": attach_stderr,
        "Tty": get("tty"),
        "OpenStdin": interactive,
        "StdinOnce": stdin_once,
        "Env": _none_if_empty(env),
        "Cmd": _none_if_empty(run.container_command),
        "Image": run.image,
        "Volumes": anonymous,
        "WorkingDir": get("workdir") or "",
        "Entrypoint": entrypoint,
        "OnBuild": None,
        "Labels": labels,
    }
    if exposed:
        config["ExposedPorts"] = exposed
    if "stop-signal" in given:
        config["StopSignal"] = given["stop-signal"]
    if "stop-timeout" in given:
        config["StopTimeout"] = given["stop-timeout"]

    host_config = {
        "Binds": _none_if_empty(binds),
        "ContainerIDFile": get("cidfile") or "",
        "LogConfig": {"Type": get("log-driver") or "", "Config": {}},
        "NetworkMode": network_mode,
        "PortBindings": port_bindings,
        "RestartPolicy": restart,
        "AutoRemove": get("rm"),
        "VolumeDriver": get("volume-driver") or "",
        "VolumesFrom": _none_if_empty(get("volumes-from")),
        "ConsoleSize": [0, 0],
        "CapAdd": None,
        "CapDrop": None,
        "CgroupnsMode": get("cgroupns") or "",
        "Dns": list(get("dns")),
        "DnsOptions": list(get("dns-option")),
        "DnsSearch": list(get("dns-search")),
        "ExtraHosts": None,
        "GroupAdd": _none_if_empty(get("group-add")),
        "IpcMode": get("ipc") or "",
        "Cgroup": "",
        "Links": None,
        "OomScoreAdj": get("oom-score-adj"),
        "PidMode": get("pid") or "",
        "Privileged": get("privileged"),
        "PublishAllPorts": get("publish-all"),
        "ReadonlyRootfs": get("read-only"),
        "SecurityOpt": None,
        "UTSMode": get("uts") or "",
        "UsernsMode": get("userns") or "",
        "ShmSize": get("shm-size"),
        "Isolation": get("isolation") or "",
        "CpuShares": get("cpu-shares"),
        "Memory": get("memory"),
        "NanoCpus": get("cpus") or 0,
        "CgroupParent": get("cgroup-parent") or "",
        "BlkioWeight": get("blkio-weight"),
        "BlkioWeightDevice": [],
        "BlkioDeviceReadBps": [],
        "BlkioDeviceWriteBps": [],
        "BlkioDeviceReadIOps": [],
        "BlkioDeviceWriteIOps": [],
        "CpuPeriod": get("cpu-period"),
        "CpuQuota": get("cpu-quota"),
        "CpuRealtimePeriod": get("cpu-rt-period"),
        "CpuRealtimeRuntime": get("cpu-rt-runtime"),
        "CpusetCpus": get("cpuset-cpus") or "",
        "CpusetMems": get("cpuset-mems") or "",
        "Devices": [],
        "DeviceCgroupRules": None,
        "DeviceRequests": None,
        "MemoryReservation": get("memory-reservation"),
        "MemorySwap": get("memory-swap"),
        "MemorySwappiness": get("memory-swappiness"),
        "OomKillDisable": get("oom-kill-disable"),
        "PidsLimit": get("pids-limit"),
        "Ulimits": [],
        "CpuCount": get("cpu-count"),
        "CpuPercent": get("cpu-percent"),
        "IOMaximumIOps": get("io-maxiops"),
        "IOMaximumBandwidth": get("io-maxbandwidth"),
        "MaskedPaths": None,
        "ReadonlyPaths": None,
    }
    if "init" in given:
        host_config["Init"] = given["init"]
    config["HostConfig"] = host_config
    endpoint_key = network_mode if networks else "default"
    config["NetworkingConfig"] = {"EndpointsConfig": {endpoint_key: _endpoint_settings(aliases=aliases)}}

    return RunPlan(
        image=run.image,
        config=config,
        name=get("name"),
        platform=get("platform"),
        detach=detach,
        interactive=interactive,
        tty=get("tty"),
        auto_remove=get("rm"),
        sig_proxy=get("sig-proxy"),
        pull=pull,
        quiet=get("quiet"),
        cidfile=get("cidfile") or "",
        detach_keys=get("detach-keys") or "",
        api_requirements={n: BY_NAME[n].min_api for n in given if BY_NAME[n].min_api},
        os_requirements={n: BY_NAME[n].os for n in given if BY_NAME[n].os},
    )
