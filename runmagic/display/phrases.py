"""How one port, mount, policy or time reads, in the panel and in the summaries alike. Pure."""

from runmagic.display.model import MountInfo, PortMapping, RestartPolicy

ARROW = "→"


def host_address(mapping: PortMapping) -> str:
    """``127.0.0.1:49153``, ``0.0.0.0:8080``, ``[::1]:80``; ``random`` before the engine picks."""
    ip = mapping.host_ip or "0.0.0.0"
    if ":" in ip:
        ip = f"[{ip}]"
    return f"{ip}:{mapping.host_port or 'random'}"


def port_phrase(mapping: PortMapping) -> str:
    return f"{mapping.container_port}/{mapping.protocol} {ARROW} {host_address(mapping)}"


_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def engine_host(docker_host: str | None) -> str | None:
    """The machine of the engine ``docker_host`` (DOCKER_HOST) names, when it is another
    machine than this one; None for this machine's engine (a socket, a loopback address)."""
    if not docker_host or "://" not in docker_host:
        return None
    scheme, _, rest = docker_host.partition("://")
    if scheme not in ("tcp", "ssh", "http", "https"):
        return None  # unix://, npipe://, fd://: this machine
    host = rest.split("/", 1)[0].rpartition("@")[2]
    if host.startswith("["):
        host = host[1:].partition("]")[0]
    elif host.count(":") == 1:
        host = host.partition(":")[0]
    return None if host in _LOOPBACK else host


def port_url(mapping: PortMapping, proxy_base: str | None, remote_host: str | None = None) -> str | None:
    """Where a browser reaches a bound TCP port, by one rule for every view: through
    jupyter-server-proxy (``proxy_base`` is the server's base URL, set when it is installed)
    when the port is on the server's machine (the engine is local, ``remote_host`` None) and
    bound on the loopback or every interface, which is where the proxy connects; else
    straight to the address it is bound on (the engine's machine for every interface).
    None for what a browser can't open (UDP, unbound, a remote engine's loopback)."""
    if mapping.protocol != "tcp" or not mapping.host_port:
        return None
    loopback = mapping.host_ip in _LOOPBACK
    if remote_host is None and proxy_base is not None and (mapping.on_all_interfaces or loopback):
        return f"{proxy_base}proxy/{mapping.host_port}/"
    if remote_host is not None and loopback:
        return None
    if mapping.on_all_interfaces:
        host = remote_host or "localhost"
    else:
        host = mapping.host_ip
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{mapping.host_port}/"


def mount_phrase(mount: MountInfo) -> str:
    if mount.anonymous:
        source = f"{mount.kind} (anonymous)"
    elif mount.source:
        source = f"{mount.kind} {mount.source}"
    else:
        source = mount.kind
    details = [word for word in ("read-only" if mount.read_only else "", mount.propagation) if word]
    extra = f" ({', '.join(details)})" if details else ""
    return f"{source} {ARROW} {mount.destination}{extra}"


def restart_phrase(policy: RestartPolicy) -> str:
    if policy.name == "on-failure":
        if policy.max_retries:
            return f"on-failure, at most {policy.max_retries} retries"
        return "on-failure, no retry limit"
    return policy.name


def time_phrase(engine_time: str) -> str:
    """``2026-11-03T12:00:01.123456789Z`` -> ``2026-11-03 12:00:01 UTC``; the engine's
    times are UTC."""
    if not engine_time:
        return ""
    date, _, clock = engine_time.partition("T")
    clock = clock.rstrip("Z").split(".")[0].split("+")[0]
    return f"{date} {clock} UTC"


def duration_phrase(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds} s"
