"""A container as its panel shows it, built from what the engine says. Pure.

``state_from_inspect`` reads ``docker inspect``; ``state_from_create`` reads the
create request, for a container that is gone by the time anything is shown
(foreground ``--rm`` runs). ``follow`` carries what only the event history
knows (the exit that caused the last policy restart) from one state to the
next. Secrets are masked here, so nothing downstream ever holds one.
"""

import re
import shlex
from dataclasses import dataclass, field, replace

from runmagic.display.masking import Redactor, mask_args, mask_env, secret_arg_values, secret_env_values

#: The engine's zero time: "never started", "never finished".
_ZERO_TIME = "0001-01-01T00:00:00Z"
#: Statuses in which the engine's ExitCode is the last exit's.
_EXITED = ("exited", "dead", "restarting")
#: Statuses in which published ports are bound to host ports.
_PORTS_BOUND = ("running", "paused")
#: The bridge driver's option naming the address a port published without one is bound to.
HOST_BINDING_IPV4 = "com.docker.network.bridge.host_binding_ipv4"
_DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")
_PROPAGATIONS = ("shared", "rshared", "slave", "rslave", "private", "rprivate")
_NEEDS_QUOTES = re.compile(r"""[\s'"\\$`;&|<>(){}*?#!~]""")


@dataclass(frozen=True)
class PortMapping:
    container_port: str
    protocol: str
    host_ip: str  # "" means every interface
    host_port: str  # "" until the engine picks one, when the container starts

    @property
    def on_all_interfaces(self) -> bool:
        return self.host_ip in ("", "0.0.0.0", "::")


@dataclass(frozen=True)
class MountInfo:
    kind: str  # bind, volume, tmpfs, ...
    source: str  # host path or volume name; "" for tmpfs and anonymous volumes
    destination: str
    read_only: bool = False
    propagation: str = ""
    anonymous: bool = False


@dataclass(frozen=True)
class RestartPolicy:
    name: str = "no"
    max_retries: int = 0

    @property
    def restarts(self) -> bool:
        return self.name not in ("", "no")


@dataclass(frozen=True)
class ContainerState:
    image: str
    command: tuple[str, ...] = ()  # masked
    id: str = ""
    name: str = ""
    status: str = "created"  # the engine's, or "removed"
    exit_code: int | None = None  # of the last exit, once there was one
    created_at: str = ""  # the engine's RFC 3339 times; "" for never
    started_at: str = ""
    finished_at: str = ""
    restart_policy: RestartPolicy = RestartPolicy()
    restart_count: int = 0
    restart_exit_code: int | None = None  # the exit that caused the last policy restart
    network_mode: str = ""
    ports: tuple[PortMapping, ...] = ()
    ports_discarded: bool = False  # published, but the host network mode ignores them
    mounts: tuple[MountInfo, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # masked; what the run set, not the image
    warnings: tuple[str, ...] = ()
    tty: bool = False  # created with -t
    attachments: int = 0  # clients attached now, counted from the engine's attach/detach events
    redact: Redactor = field(default_factory=Redactor, repr=False, compare=False)

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def command_line(self) -> str:
        """Image and command as one would type them after ``docker run [OPTIONS]``."""
        return " ".join(_shown_arg(arg) for arg in (self.image, *self.command))

    @property
    def ports_bound(self) -> bool:
        return self.status in _PORTS_BOUND

    @property
    def terminal(self) -> str:
        """A running TTY container's terminal: "attached" while a client is attached,
        "detached" when none is (detach keys, or started with ``-d``); "" otherwise."""
        if not self.tty or self.status not in _PORTS_BOUND:
            return ""
        return "attached" if self.attachments else "detached"

    @property
    def badge(self) -> str:
        if self.status in ("exited", "dead"):
            return f"{self.status} ({self.exit_code})"
        return self.status


def _shown_arg(arg: str) -> str:
    return shlex.quote(arg) if not arg or _NEEDS_QUOTES.search(arg) else arg


def _env_pairs(entries) -> list[tuple[str, str]]:
    pairs = []
    for entry in entries or ():
        name, _, value = entry.partition("=")
        pairs.append((name, value))
    return pairs


def _time(text: str | None) -> str:
    return "" if not text or text == _ZERO_TIME else text


def _restart_policy(host: dict) -> RestartPolicy:
    policy = host.get("RestartPolicy") or {}
    return RestartPolicy(policy.get("Name") or "no", int(policy.get("MaximumRetryCount") or 0))


def _split_port(key: str) -> tuple[str, str]:
    port, _, protocol = key.partition("/")
    return port, protocol or "tcp"


def _port_order(mapping: PortMapping):
    number = mapping.container_port.split("-")[0]
    return (int(number) if number.isdigit() else 0, mapping.protocol, mapping.host_ip, mapping.host_port)


def default_host_ip(network: dict | None) -> str:
    """The address the engine binds a port published without one to, on ``network``
    (``docker network inspect``): its ``host_binding_ipv4`` option; "" for every interface."""
    address = ((network or {}).get("Options") or {}).get(HOST_BINDING_IPV4) or ""
    return "" if address in ("0.0.0.0", "::") else address


def _configured_ports(host: dict, exposed: dict | None, default_ip: str = "") -> list[PortMapping]:
    """Ports as requested: host port "" where the engine picks one at start; a port
    published without an address gets the one the network binds such ports to."""
    bindings = host.get("PortBindings") or {}
    mappings = []
    for key, binds in bindings.items():
        port, protocol = _split_port(key)
        for bind in binds or [{}]:
            mappings.append(PortMapping(port, protocol, bind.get("HostIp") or default_ip,
                                        bind.get("HostPort") or ""))
    if host.get("PublishAllPorts"):
        for key in exposed or {}:
            if key not in bindings:
                port, protocol = _split_port(key)
                mappings.append(PortMapping(port, protocol, default_ip, ""))
    return mappings


def _bound_ports(network_settings: dict) -> list[PortMapping]:
    """Ports as the engine bound them (``docker port``): exposed-only ports have none."""
    mappings = []
    for key, binds in (network_settings.get("Ports") or {}).items():
        port, protocol = _split_port(key)
        for bind in binds or ():
            mappings.append(PortMapping(port, protocol, bind.get("HostIp") or "", bind.get("HostPort") or ""))
    return mappings


def _warnings(host: dict, mounts, ports) -> list[str]:
    found = []
    if host.get("Privileged"):
        found.append("--privileged: the container can use every device and capability of the host")
    for option, key, meaning in (
            ("--pid=host", "PidMode", "sees and can signal every process of the host"),
            ("--ipc=host", "IpcMode", "shares the host's shared memory and IPC"),
            ("--uts=host", "UTSMode", "can change the host's hostname"),
            ("--network=host", "NetworkMode", "shares the host's network stack"),
            ("--userns=host", "UsernsMode", "runs without user namespace remapping")):
        if host.get(key) == "host":
            found.append(f"{option}: the container {meaning}")
    for mount in mounts:
        if mount.kind != "bind":
            continue
        if mount.source in _DOCKER_SOCKETS or mount.source.endswith("/docker.sock"):
            found.append(f"the Docker socket is mounted at {mount.destination}: "
                         "the container controls the engine, and so the host")
        elif mount.source == "/":
            found.append(f"the host's root filesystem is mounted at {mount.destination}")
    exposed_everywhere = [f"{p.container_port}/{p.protocol}" for p in ports if p.on_all_interfaces]
    for port in dict.fromkeys(exposed_everywhere):  # ports are sorted; IPv4 and IPv6 bind each once
        found.append(f"port {port} is published on all interfaces, reachable from other machines "
                     "(publish it on 127.0.0.1 to keep it local)")
    return found


def _named_volume(source: str) -> bool:
    return bool(source) and not source.startswith(("/", "."))


def _inspected_mounts(info: dict, host: dict) -> list[MountInfo]:
    """``Mounts`` of inspect, plus ``--tmpfs`` ones, which the engine lists only in HostConfig.
    A volume the run did not name is anonymous (its generated name changes every run)."""
    named = {bind.split(":", 1)[0] for bind in host.get("Binds") or ()}
    named |= {m.get("Source") for m in host.get("Mounts") or () if m.get("Source")}
    mounts = []
    for mount in info.get("Mounts") or ():
        kind = mount.get("Type") or ""
        anonymous = kind == "volume" and mount.get("Name") not in named
        if kind == "volume":
            source = "" if anonymous else mount.get("Name") or ""
        else:
            source = mount.get("Source") or ""
        mounts.append(MountInfo(kind, source, mount.get("Destination") or "", not mount.get("RW", True),
                                _propagation(mount.get("Propagation")), anonymous))
    mounts += _tmpfs_mounts(host, {m.destination for m in mounts})
    return sorted(mounts, key=lambda m: m.destination)


def _propagation(mode: str | None) -> str:
    """The engine reports its default, rprivate, for every bind: shown only when it isn't that."""
    return "" if mode in (None, "", "rprivate") else mode


def _tmpfs_mounts(host: dict, taken) -> list[MountInfo]:
    return [MountInfo("tmpfs", "", destination, "ro" in (options or "").split(","))
            for destination, options in (host.get("Tmpfs") or {}).items() if destination not in taken]


def _bind_mount(spec: str) -> MountInfo:
    """A ``-v`` value as the create request holds it: ``source:destination[:options]``."""
    source, _, rest = spec.partition(":")
    destination, _, options = rest.partition(":")
    flags = options.split(",") if options else []
    propagation = _propagation(next((flag for flag in flags if flag in _PROPAGATIONS), ""))
    kind = "volume" if _named_volume(source) else "bind"
    return MountInfo(kind, source, destination, "ro" in flags, propagation)


def _requested_mounts(config: dict, host: dict) -> list[MountInfo]:
    mounts = [_bind_mount(spec) for spec in host.get("Binds") or ()]
    for mount in host.get("Mounts") or ():
        kind = mount.get("Type") or "volume"
        source = mount.get("Source") or ""
        mounts.append(MountInfo(kind, source, mount.get("Target") or "", bool(mount.get("ReadOnly")),
                                _propagation((mount.get("BindOptions") or {}).get("Propagation")),
                                anonymous=kind == "volume" and not source))
    taken = {m.destination for m in mounts}
    mounts += [MountInfo("volume", "", destination, anonymous=True)
               for destination in config.get("Volumes") or {} if destination not in taken]
    mounts += _tmpfs_mounts(host, {m.destination for m in mounts})
    return sorted(mounts, key=lambda m: m.destination)


def _build(config: dict, host: dict, run_env, all_env, ports, mounts, **fields) -> ContainerState:
    command = [*(config.get("Entrypoint") or ()), *(config.get("Cmd") or ())]
    redact = Redactor([*secret_env_values(all_env), *secret_arg_values(command)])
    network_mode = host.get("NetworkMode") or ""
    discarded = network_mode == "host" and bool(ports)
    if discarded:
        ports = []
    ports = sorted(ports, key=_port_order)
    return ContainerState(
        image=config.get("Image") or "",
        command=tuple(mask_args(command, redact)),
        restart_policy=_restart_policy(host),
        network_mode=network_mode,
        ports=tuple(ports),
        ports_discarded=discarded,
        mounts=tuple(mounts),
        env=tuple(mask_env(run_env, redact)),
        warnings=tuple(_warnings(host, mounts, ports)),
        tty=bool(config.get("Tty")),
        redact=redact,
        **fields,
    )


def state_from_inspect(info: dict, image_env=(), default_ip: str = "") -> ContainerState:
    """``docker inspect`` of a container; ``image_env`` (its image's ``Config.Env``)
    tells which variables the run set; ``default_ip`` (see :func:`default_host_ip`) is where
    its network binds ports published without an address."""
    config = info.get("Config") or {}
    host = info.get("HostConfig") or {}
    engine_state = info.get("State") or {}
    status = engine_state.get("Status") or "created"
    all_env = _env_pairs(config.get("Env"))
    inherited = set(_env_pairs(image_env))
    # With the host's network the engine binds nothing, but what was asked for shows it discarded.
    if status in _PORTS_BOUND and host.get("NetworkMode") != "host":
        ports = _bound_ports(info.get("NetworkSettings") or {})
    else:
        ports = _configured_ports(host, config.get("ExposedPorts"), default_ip)
    return _build(
        config, host, [pair for pair in all_env if pair not in inherited], all_env,
        ports, _inspected_mounts(info, host),
        id=info.get("Id") or "",
        name=(info.get("Name") or "").lstrip("/"),
        status=status,
        exit_code=engine_state.get("ExitCode") if status in _EXITED else None,
        created_at=_time(info.get("Created")),
        started_at=_time(engine_state.get("StartedAt")),
        finished_at=_time(engine_state.get("FinishedAt")),
        restart_count=int(info.get("RestartCount") or 0),
    )


def state_from_create(body: dict, default_ip: str = "") -> ContainerState:
    """The create request of a container (``RunPlan.config``): what was asked for."""
    host = body.get("HostConfig") or {}
    env = _env_pairs(body.get("Env"))
    return _build(body, host, env, env, _configured_ports(host, body.get("ExposedPorts"), default_ip),
                  _requested_mounts(body, host))


def follow(previous: ContainerState, current: ContainerState, died_with: int | None = None,
           action: str | None = None) -> ContainerState:
    """``current`` with the history ``previous`` knew: the engine counts a policy restart
    when the container dies, so the exit seen then is the one that caused it. ``action``
    (the event's) counts the clients attached: the engine says nothing of them in inspect."""
    last_exit = died_with if died_with is not None else current.exit_code
    if last_exit is None:
        last_exit = previous.exit_code
    restart_exit_code = previous.restart_exit_code
    if current.restart_count > previous.restart_count:
        restart_exit_code = last_exit
    elif current.restart_count and restart_exit_code is None:
        # Restarts were counted before any exit was known: an inspect runs ahead of the events
        # still queued (a busy panel; Podman restarts at once and counts at the start), so the
        # next die event is of an exit that caused one of them.
        restart_exit_code = died_with
    return replace(current, exit_code=last_exit, restart_exit_code=restart_exit_code,
                   ports=last_bound(previous.ports, current.ports),
                   attachments=attachments_after(previous.attachments, action))


def attachments_after(attached: int, action: str | None) -> int:
    """Clients attached after the event ``action``: an attach adds one (clients attach before
    the start of ``docker run -it``), a detach (detach keys, or a closed connection) takes
    one away, a death ends them all."""
    if action == "attach":
        return attached + 1
    if action == "detach":
        return max(0, attached - 1)
    if action == "die":
        return 0
    return attached


def last_bound(previous, current) -> tuple[PortMapping, ...]:
    """``current`` ports, where the engine released a binding (a stop), the host port it
    had: an address the user saw, and may still have open, stays readable."""
    if any(mapping.host_port for mapping in current) or not any(m.host_port for m in previous):
        return current
    requested = {(m.container_port, m.protocol) for m in current}
    kept = tuple(m for m in previous if (m.container_port, m.protocol) in requested)
    return kept if {(m.container_port, m.protocol) for m in kept} == requested else current


def removed(previous: ContainerState) -> ContainerState:
    """The last state seen, gone: ports keep the host ports they were bound to."""
    return replace(previous, status="removed")
