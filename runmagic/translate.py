"""Translate a parsed ``docker run`` line into the Engine API's create request.

Pure: no IPython, no docker import. The docker CLI (28.2) refuses a line at
four moments, and so does this module, in the same order:

1. while parsing flags (the option types' ``Set``): the flag table's
   ``validate`` functions, in :mod:`runmagic.cli`;
2. before running the command, flags the daemon can't take (API version,
   OS): :func:`check_support`, status 1 and no ``docker:`` prefix;
3. ``run``'s own checks and ``parse()`` in cli/command/container/opts.go:
   :func:`plan_run`, which builds the body the CLI would POST to
   ``/containers/create`` (its zero values included, so that ``docker
   inspect`` of the two containers matches);
4. at create time, what depends on the engine's API version: the image
   reference, ``--use-api-socket``, ``--platform`` and the API client's
   version rules: :func:`adapt_to_api`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable, Mapping

from runmagic.grammar.parser import ParsedRun
from runmagic.errors import PlainError, UsageError
from runmagic.grammar.run_flags import BY_NAME
from runmagic.grammar.options import container as container_opts
from runmagic.grammar.options import env as env_opts
from runmagic.grammar.options import network as network_opts
from runmagic.grammar.options import ports as port_opts
from runmagic.grammar.options import resources as resource_opts
from runmagic.grammar.options import security as security_opts
from runmagic.grammar.options import volumes as volume_opts
from runmagic.grammar.reference import parse_any_reference
from runmagic.golang.strconv import go_quote, version_tuple

DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"


@dataclass(frozen=True)
class EngineInfo:
    """What ``plan_run`` may know of the engine: its API version and OS.

    ``os`` may be a callable, asked only when a flag limited to one OS was given.
    """

    api_version: str
    os: str | Callable[[], str] = "linux"

    def server_os(self) -> str:
        return self.os() if callable(self.os) else self.os


@dataclass
class RunPlan:
    """Everything the execution layer needs to run one line."""

    image: str
    config: dict
    name: str | None = None
    #: ``--platform`` as given (or DOCKER_DEFAULT_PLATFORM): what a pull asks for.
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
    #: ``--use-api-socket``: the engine address whose socket is bind-mounted.
    api_socket: str = ""
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


@dataclass
class CreateRequest:
    """The create call as the API client makes it: the body and the
    ``platform`` query value ("" for none)."""

    body: dict
    platform: str = ""


# ------------------------------------------------------------ flag support


def check_support(names, api_version: str, server_os: str | Callable[[], str]) -> None:
    """docker's ``areFlagsSupported``: every given flag the daemon can't take,
    one line each in flag-name order; status 1, no ``docker:`` prefix."""
    errors = []
    for name in sorted(names):
        flag = BY_NAME[name]
        if flag.min_api and version_tuple(api_version) < version_tuple(flag.min_api):
            errors.append(f'"--{flag.name}" requires API version {flag.min_api}, but the Docker '
                          f"daemon API version is {api_version}")
        elif flag.os:
            daemon_os = server_os() if callable(server_os) else server_os
            if daemon_os and daemon_os != flag.os:
                errors.append(f'"--{flag.name}" is only supported on a Docker daemon running on '
                              f"{flag.os}, but the Docker daemon is running on {daemon_os}")
    if errors:
        raise PlainError("\n".join(errors))


# ------------------------------------------------------------------ parse()


def _none_if_empty(items):
    return list(items) if items else None


def _docker_host(environ: Mapping[str, str]) -> str:
    return environ.get("DOCKER_HOST") or DEFAULT_DOCKER_HOST


def plan_run(run: ParsedRun, environ: Mapping[str, str], cwd: str,
             engine: EngineInfo | None = None) -> RunPlan:
    """Build the create request for ``run``; raises UsageError as docker would.

    ``environ`` is the client's environment (``-e NAME``, env files, proxies,
    DOCKER_DEFAULT_PLATFORM, DOCKER_HOST) and ``cwd`` its working directory
    (relative ``-v``, env and label files, seccomp profiles). With ``engine``
    the flags the engine can't take are refused first, as docker does;
    without it the runner checks them before anything else it does.
    """
    given = run.given
    get = run.get
    # The daemon's OS matters to OS-limited flags and to --device; ask only then.
    needs_os = engine is not None and ("device" in given or any(BY_NAME[n].os for n in given))
    server_os = engine.server_os() if needs_os else "linux"
    if engine is not None:
        check_support(given, engine.api_version, server_os)

    pull = container_opts.validate_pull(get("pull"))

    # run.go replaces the -e list with its map round trip plus the proxy
    # variables of the CLI's config file.
    host = _docker_host(environ)
    env_values = env_opts.collapse_env(get("env"), env_opts.proxy_config(environ), host)

    config, host_config, endpoints = _parse(run, env_values, environ, cwd, server_os)

    detach = get("detach")
    if detach:
        if get("attach"):
            raise PlainError("conflicting options: cannot specify both --attach and --detach")
        config.update(AttachStdin=False, AttachStdout=False, AttachStderr=False, StdinOnce=False)
    config["HostConfig"] = host_config
    config["NetworkingConfig"] = {"EndpointsConfig": endpoints}

    return RunPlan(
        image=run.image,
        config=config,
        name=get("name"),
        platform=get("platform") if "platform" in given else environ.get("DOCKER_DEFAULT_PLATFORM", ""),
        detach=detach,
        interactive=get("interactive"),
        tty=get("tty"),
        auto_remove=get("rm"),
        sig_proxy=get("sig-proxy"),
        pull=pull,
        quiet=get("quiet"),
        cidfile=get("cidfile") or "",
        detach_keys=get("detach-keys") or "",
        api_socket=host if get("use-api-socket") else "",
        api_requirements={n: BY_NAME[n].min_api for n in given if BY_NAME[n].min_api},
        os_requirements={n: BY_NAME[n].os for n in given if BY_NAME[n].os},
    )


def _parse(run: ParsedRun, env_values: list[str], environ: Mapping[str, str], cwd: str,
           server_os: str) -> tuple[dict, dict, dict]:
    """docker's ``parse()``: (Config, HostConfig, EndpointsConfig), its checks in its order."""
    given, get = run.given, run.get
    attach = get("attach")
    interactive = get("interactive")

    mac_address = get("mac-address") or ""
    if mac_address:
        network_opts.validate_mac_address(mac_address)
    container_opts.check_swappiness(get("memory-swappiness"))

    binds, volumes = volume_opts.split_volumes(get("volume"), cwd)
    tmpfs = volume_opts.tmpfs_map(get("tmpfs"))

    entrypoint = None
    if get("entrypoint"):
        entrypoint = [get("entrypoint")]
    elif "entrypoint" in given:
        entrypoint = [""]

    exposed, port_bindings = port_opts.parse_publish(get("publish"))
    for port in port_opts.parse_expose(get("expose")):
        exposed.setdefault(port, {})

    devices, cdi_names = resource_opts.parse_devices(get("device"), server_os)

    env = env_opts.build_env(get("env-file"), env_values, environ, cwd)
    labels = env_opts.build_labels(get("label-file"), get("label"), cwd)

    container_opts.validate_namespace_modes(
        pid=get("pid") or "", uts=get("uts") or "", userns=get("userns") or "",
        cgroupns=get("cgroupns") or "")
    restart = container_opts.parse_restart_policy(get("restart"))
    log_driver = get("log-driver") or ""
    log_config = container_opts.parse_log_opts(log_driver, get("log-opt"))
    security_opt, masked_paths, readonly_paths = security_opts.parse_security_opts(
        get("security-opt"), cwd)
    storage_opt = container_opts.parse_storage_opts(get("storage-opt"))
    healthcheck = container_opts.healthcheck(
        no_healthcheck=get("no-healthcheck"), cmd=get("health-cmd") or "",
        interval=get("health-interval"), timeout=get("health-timeout"),
        start_period=get("health-start-period"), start_interval=get("health-start-interval"),
        retries=get("health-retries"))

    device_requests = list(get("gpus"))
    if cdi_names:
        device_requests.append(resource_opts.cdi_device_request(cdi_names))

    stdin, stdout, stderr, stdin_once = container_opts.attach_streams(attach, interactive)
    config = {
        "Hostname": get("hostname") or "",
        "Domainname": get("domainname") or "",
        "User": get("user") or "",
        "AttachStdin": stdin,
        "AttachStdout": stdout,
        "AttachStderr": stderr,
        "Tty": get("tty"),
        "OpenStdin": interactive,
        "StdinOnce": stdin_once,
        "Env": _none_if_empty(env),
        "Cmd": _none_if_empty(run.container_command),
        "Image": run.image,
        "Volumes": volumes,
        "WorkingDir": get("workdir") or "",
        "Entrypoint": entrypoint,
        "OnBuild": None,
        "Labels": labels,
    }
    if exposed:
        config["ExposedPorts"] = exposed
    if healthcheck is not None:
        config["Healthcheck"] = healthcheck
    if get("stop-signal"):
        config["StopSignal"] = get("stop-signal")
    if "stop-timeout" in given:
        config["StopTimeout"] = given["stop-timeout"]

    network_mode = network_opts.network_mode(get("network"))
    host_config = {
        "Binds": _none_if_empty(binds),
        "ContainerIDFile": get("cidfile") or "",
        "LogConfig": {"Type": log_driver, "Config": log_config},
        "NetworkMode": network_mode,
        "PortBindings": port_bindings,
        "RestartPolicy": restart,
        "AutoRemove": get("rm"),
        "VolumeDriver": get("volume-driver") or "",
        "VolumesFrom": _none_if_empty(get("volumes-from")),
        "ConsoleSize": [0, 0],
        "CapAdd": security_opts.normalize_capabilities(get("cap-add")),
        "CapDrop": security_opts.normalize_capabilities(get("cap-drop")),
        "CgroupnsMode": get("cgroupns") or "",
        "Dns": list(get("dns")),
        "DnsOptions": list(get("dns-option")),
        "DnsSearch": list(get("dns-search")),
        "ExtraHosts": _none_if_empty(get("add-host")),
        "GroupAdd": _none_if_empty(get("group-add")),
        "IpcMode": get("ipc") or "",
        "Cgroup": "",
        "Links": _none_if_empty(get("link")),
        "OomScoreAdj": get("oom-score-adj"),
        "PidMode": get("pid") or "",
        "Privileged": get("privileged"),
        "PublishAllPorts": get("publish-all"),
        "ReadonlyRootfs": get("read-only"),
        "SecurityOpt": security_opt,
        "UTSMode": get("uts") or "",
        "UsernsMode": get("userns") or "",
        "ShmSize": get("shm-size"),
        "Isolation": get("isolation") or "",
        "CpuShares": get("cpu-shares"),
        "Memory": get("memory"),
        "NanoCpus": get("cpus") or 0,
        "CgroupParent": get("cgroup-parent") or "",
        "BlkioWeight": get("blkio-weight"),
        "BlkioWeightDevice": list(get("blkio-weight-device")),
        "BlkioDeviceReadBps": list(get("device-read-bps")),
        "BlkioDeviceWriteBps": list(get("device-write-bps")),
        "BlkioDeviceReadIOps": list(get("device-read-iops")),
        "BlkioDeviceWriteIOps": list(get("device-write-iops")),
        "CpuPeriod": get("cpu-period"),
        "CpuQuota": get("cpu-quota"),
        "CpuRealtimePeriod": get("cpu-rt-period"),
        "CpuRealtimeRuntime": get("cpu-rt-runtime"),
        "CpusetCpus": get("cpuset-cpus") or "",
        "CpusetMems": get("cpuset-mems") or "",
        "Devices": devices,
        "DeviceCgroupRules": _none_if_empty(get("device-cgroup-rule")),
        "DeviceRequests": _none_if_empty(device_requests),
        "MemoryReservation": get("memory-reservation"),
        "MemorySwap": get("memory-swap"),
        "MemorySwappiness": get("memory-swappiness"),
        "OomKillDisable": get("oom-kill-disable"),
        "PidsLimit": get("pids-limit"),
        "Ulimits": resource_opts.ulimit_list(get("ulimit")),
        "CpuCount": get("cpu-count"),
        "CpuPercent": get("cpu-percent"),
        "IOMaximumIOps": get("io-maxiops"),
        "IOMaximumBandwidth": get("io-maxbandwidth"),
        "MaskedPaths": masked_paths,
        "ReadonlyPaths": readonly_paths,
    }
    # Go's omitempty fields: sent only when set.
    optional = {
        "KernelMemory": get("kernel-memory"),
        "StorageOpt": storage_opt,
        "Tmpfs": tmpfs,
        "Sysctls": env_opts.kv_map(get("sysctl")),
        "Annotations": env_opts.kv_map(get("annotation")),
        "Runtime": get("runtime") or "",
        "Mounts": list(get("mount")),
    }
    host_config.update((key, value) for key, value in optional.items() if value)

    container_opts.check_restart_with_rm(restart, get("rm"))
    if "init" in given:
        host_config["Init"] = given["init"]

    endpoints = network_opts.endpoints(
        get("network"), aliases=get("network-alias"), links=get("link"), ip=get("ip") or "",
        ip6=get("ip6") or "", mac_address=mac_address, link_local_ips=get("link-local-ip"))
    main_mac = network_opts.container_mac_address(network_mode, endpoints)
    if main_mac:
        config["MacAddress"] = main_mac
    return config, host_config, endpoints


# ------------------------------------------------------------- create time


def adapt_to_api(plan: RunPlan, api_version: str) -> CreateRequest:
    """The create request for an engine of ``api_version``, as docker's
    ``createContainer`` and its API client make it. Raises UsageError
    (``docker: MSG``, status 125) where they refuse.

    In docker's order: the image reference, ``--use-api-socket``,
    ``--platform`` (sent from API 1.41 on), then the client's version rules:
    StopTimeout needs 1.25, a per-network MAC address 1.44,
    ``bind-recursive=readonly`` 1.44; AutoRemove is dropped below 1.25,
    KernelMemory outside 1.40-1.41, ConsoleSize below 1.42 for a Linux
    platform, the container-wide MacAddress from 1.44 on.
    """
    try:
        parse_any_reference(plan.image)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    body = json.loads(json.dumps(plan.config))
    host_config = body["HostConfig"]
    if plan.api_socket:
        _add_api_socket(host_config, plan.api_socket)

    version = version_tuple(api_version)
    platform = ""
    if plan.platform and version >= (1, 41):
        platform = container_opts.parse_platform(plan.platform)

    def refuse(needed: str, feature: str) -> UsageError:
        return UsageError(f"{go_quote(feature)} requires API version {needed}, but the Docker "
                          f"daemon API version is {api_version}")

    if "StopTimeout" in body and version < (1, 25):
        raise refuse("1.25", "stop timeout")
    if (body.get("Healthcheck") or {}).get("StartInterval") and version < (1, 44):
        raise refuse("1.44", "specify health-check start interval")
    endpoints = body["NetworkingConfig"]["EndpointsConfig"]
    if version < (1, 44):
        network_opts.check_network_for_api(endpoints, api_version)
    if version < (1, 25):
        host_config["AutoRemove"] = False
    if version >= (1, 42) or version < (1, 40):
        host_config.pop("KernelMemory", None)
    if platform.startswith("linux") and version < (1, 42):
        host_config["ConsoleSize"] = [0, 0]
    volume_opts.check_mounts_for_api(host_config.get("Mounts") or [], api_version)
    if version >= (1, 44):
        body.pop("MacAddress", None)
    return CreateRequest(body, platform)


def _add_api_socket(host_config: dict, host: str) -> None:
    """``--use-api-socket``: bind-mount the engine's socket at /var/run/docker.sock.

    (docker also copies the client's registry credentials into the container;
    runmagic has none to copy.)
    """
    if not host.startswith("unix://"):
        raise UsageError("flag --use-api-socket can only be used with unix sockets: docker "
                         f"endpoint {host} incompatible")
    mount = {"Type": "bind", "Source": host[len("unix://"):], "Target": "/var/run/docker.sock",
             "BindOptions": {}}
    host_config["Mounts"] = [*host_config.get("Mounts", []), mount]


def create_warnings(body: dict) -> list[str]:
    """Warnings docker adds to the engine's after create (``localhostDNSWarning``)."""
    for server in body["HostConfig"].get("Dns") or ():
        ip = network_opts.loopback_address(server)
        if ip:
            return [f"Localhost DNS ({ip}) may fail in containers."]
    return []
