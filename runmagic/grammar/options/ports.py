"""``-p/--publish`` and ``--expose``: ExposedPorts and PortBindings.

docker converts the long syntax (``published=8080,target=80,protocol=udp``)
to ``8080:80/udp`` and hands every spec to go-connections' ``nat``
``ParsePortSpecs``; ``--expose`` values are then merged into the exposed set.
Both are checked in ``parse()``, so errors are ``UsageError`` (``docker: MSG``).
"""

from __future__ import annotations

from runmagic.errors import UsageError
from runmagic.golang import strconv as values
from runmagic.golang import stdlib as _go

_PROTOCOLS = ("tcp", "udp", "sctp")


def split_proto_port(raw: str) -> tuple[str, str]:
    """nat's ``SplitProtoPort``: ``"80/udp"`` -> ``("udp", "80")``; tcp by default.

    Anything after a second ``/`` is ignored, as docker ignores it.
    """
    parts = raw.split("/")
    if not raw or not parts[0]:
        return "", ""
    if len(parts) == 1 or not parts[1]:
        return "tcp", parts[0]
    return parts[1], parts[0]


def parse_port_range(ports: str) -> tuple[int, int]:
    """nat's ``ParsePortRange``: ``"8000-8010"`` -> ``(8000, 8010)``.

    Raises ValueError with Go's words. Only the first two ``-``-separated
    parts count: ``"1-2-3"`` is 1 to 2, as in docker.
    """
    if ports == "":
        raise ValueError("empty string specified for ports")
    if "-" not in ports:
        port = values.parse_uint(ports, 16, 10)
        return port, port
    parts = ports.split("-")
    start = values.parse_uint(parts[0], 16, 10)
    end = values.parse_uint(parts[1], 16, 10)
    if end < start:
        raise ValueError(f"invalid range specified for port: {ports}")
    return start, end


def _split_parts(raw: str) -> tuple[str, str, str]:
    """IP, host port and container port of ``[ip:][host:]container``.

    With more than three colon-separated parts the leading ones form the IP,
    so an unbracketed IPv6 address such as ``::1:8080:80`` works.
    """
    parts = raw.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


def parse_port_spec(raw: str) -> list[tuple[str, dict]]:
    """nat's ``ParsePortSpec``: one spec -> [(``"80/tcp"``, {HostIp, HostPort}), ...].

    Raises ValueError with the text docker prints after ``docker: ``.
    """
    ip, host_port, container_port = _split_parts(raw)
    proto, container_port = split_proto_port(container_port)

    if ip.startswith("["):
        try:
            ip, _ = _go.split_host_port(ip + ":")
        except ValueError as exc:
            raise ValueError(f"invalid IP address {ip}: {exc}") from None
    if ip and _go.parse_ip(ip) is None:
        raise ValueError(f"invalid IP address: {ip}")
    if container_port == "":
        raise ValueError(f"no port specified: {raw}<empty>")

    try:
        start, end = parse_port_range(container_port)
    except ValueError:
        raise ValueError(f"invalid containerPort: {container_port}") from None

    host_start = host_end = 0
    if host_port:
        try:
            host_start, host_end = parse_port_range(host_port)
        except ValueError:
            raise ValueError(f"invalid hostPort: {host_port}") from None
        # A host range with a single container port is a pool to pick from;
        # otherwise both ranges must have the same length.
        if end - start != host_end - host_start and end != start:
            raise ValueError(
                "invalid ranges specified for container and host Ports: "
                f"{container_port} and {host_port}"
            )

    if proto.lower() not in _PROTOCOLS:
        raise ValueError(f"invalid proto: {proto}")
    proto = proto.lower()

    mappings = []
    for offset in range(end - start + 1):
        if not host_port:
            binding_port = ""
        elif start == end and host_start != host_end:
            binding_port = f"{host_start}-{host_end}"
        else:
            binding_port = str(host_start + offset)
        mappings.append((f"{start + offset}/{proto}", {"HostIp": ip, "HostPort": binding_port}))
    return mappings


def to_standard_notation(spec: str) -> str:
    """docker's ``convertToStandardNotation`` for one ``--publish`` value.

    ``published=8080,target=80,protocol=udp`` becomes ``8080:80/udp``; other
    keys (``mode``, unknown ones) are accepted and ignored, as by ``docker run``.
    """
    if "=" not in spec:
        return spec
    params = {"protocol": "tcp"}
    for param in spec.split(","):
        key, sep, value = param.partition("=")
        if not sep or not key:
            raise UsageError(
                f"invalid publish opts format (should be name=value but got '{param}')"
            )
        params[key] = value
    return f"{params.get('published', '')}:{params.get('target', '')}/{params['protocol']}"


def parse_publish(specs: list[str]) -> tuple[dict, dict]:
    """All ``-p`` values -> (ExposedPorts, PortBindings) as the Engine API wants them.

    ``ExposedPorts`` maps ``"80/tcp"`` to ``{}``; ``PortBindings`` maps it to
    the list of ``{"HostIp": ..., "HostPort": ...}`` in the order given
    (repeats are kept, as docker sends them). Raises UsageError.
    """
    converted = [to_standard_notation(spec) for spec in specs]
    exposed: dict[str, dict] = {}
    bindings: dict[str, list[dict]] = {}
    for raw in converted:
        try:
            mappings = parse_port_spec(raw)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        for port, binding in mappings:
            exposed.setdefault(port, {})
            bindings.setdefault(port, []).append(binding)
    return exposed, bindings


def parse_expose(specs: list[str]) -> dict:
    """All ``--expose`` values -> ExposedPorts entries (``{"80/tcp": {}}``).

    Ranges expand to one entry per port. The protocol is not checked by
    docker here (``--expose 80/foo`` sends ``"80/foo"``). Raises UsageError.
    Merge the result into the ExposedPorts of :func:`parse_publish`.
    """
    exposed: dict[str, dict] = {}
    for spec in specs:
        if ":" in spec:
            raise UsageError(f"invalid port format for --expose: {spec}")
        proto, port = split_proto_port(spec)
        try:
            start, end = parse_port_range(port)
        except ValueError as exc:
            raise UsageError(f"invalid range format for --expose: {spec}, error: {exc}") from None
        for number in range(start, end + 1):
            exposed.setdefault(f"{number}/{proto}", {})
    return exposed
