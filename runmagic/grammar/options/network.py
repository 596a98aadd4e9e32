"""Networking flags: ``--network`` (and its advanced CSV syntax),
``--network-alias``, ``--link``, ``--ip``, ``--ip6``, ``--mac-address``,
``--link-local-ip``, ``--add-host``, ``--dns`` and ``--dns-search``.

Parse-time validators raise ValueError; :func:`endpoints` (docker's
``parseNetworkOpts``) and :func:`validate_mac_address` run in ``parse()``
and raise UsageError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from runmagic.errors import UsageError
from runmagic.golang import strconv as values
from runmagic.golang.strconv import version_tuple
from runmagic.golang import stdlib as _go

NETWORK_MODES_BUILTIN = ("default", "bridge", "host", "none")


# -------------------------------------------------------------- parse time


def validate_ip_address(value: str) -> str:
    """docker's ``ValidateIPAddress`` (``--dns``): the address in Go's canonical form.

    Surrounding whitespace is allowed; brackets and zones are not.
    """
    ip = _go.parse_ip(_go.trim_space(value))
    if ip is None:
        raise ValueError(f"IP address is not correctly formatted: {value}")
    return _go.ip_string(ip)


def loopback_address(value: str) -> str:
    """``netip.ParseAddr`` of a loopback address in its canonical form, else ""."""
    ip = _go.parse_ip(value)
    if ip is None or not ip.is_loopback:
        return ""
    return str(ip)


_HAS_ALPHA = re.compile(r"[a-zA-Z]")
# docker's domain pattern, including its "(:?" groups (a typo for "(?:" that
# makes an optional ':' acceptable before each label).
_DOMAIN = re.compile(
    r"^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9]))"
    r"(:?\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9\-]*[a-zA-Z0-9])))*)\.?[\t\n\f\r ]*$"
)


def validate_dns_search(value: str) -> str:
    """docker's ``ValidateDNSSearch``: ``.`` or a domain (a trailing dot dropped)."""
    value = value.strip(" ")
    if value == ".":
        return value
    if _HAS_ALPHA.search(value):
        match = _DOMAIN.match(value)
        if match and len(match.group(1).encode()) < 255:
            return match.group(1)
    raise ValueError(f"{value} is not a valid domain")


def validate_extra_host(value: str) -> str:
    """docker's ``ValidateExtraHost``: ``name=ip`` / ``name:ip`` -> ``name:ip``.

    ``host-gateway`` is kept as is; ``[v6]`` brackets are removed; the
    address is checked but otherwise sent as typed.
    """
    name, sep, address = value.partition("=")
    if not sep:
        name, sep, address = value.partition(":")
    if not sep or not name or ":" in name:
        raise ValueError(f"bad format for add-host: {values.go_quote(value)}")
    if address != "host-gateway":
        if len(address) > 2 and address[0] == "[" and address[-1] == "]":
            address = address[1:-1]
        if _go.parse_ip(_go.trim_space(address)) is None:
            raise ValueError(f"invalid IP address in add-host: {values.go_quote(address)}")
    return f"{name}:{address}"


def parse_link(value: str) -> tuple[str, str]:
    """docker's ``ParseLink``: ``name[:alias]`` -> (name, alias)."""
    if value == "":
        raise ValueError("empty string specified for links")
    parts = value.split(":", 2)
    if len(parts) > 2:
        raise ValueError("bad format for links: " + value)
    if len(parts) == 1:
        return value, value
    if parts[0].startswith("/"):
        return parts[0][1:], parts[1].rsplit("/", 1)[-1]
    return parts[0], parts[1]


def validate_link(value: str) -> str:
    """``--link`` at parse time: the value unchanged, or ValueError."""
    parse_link(value)
    return value


@dataclass
class NetworkAttachment:
    """One ``--network`` value (docker's ``NetworkAttachmentOpts``)."""

    target: str
    aliases: list[str] = field(default_factory=list)
    driver_opts: dict[str, str] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    ipv4_address: str = ""
    ipv6_address: str = ""
    link_local_ips: list[str] = field(default_factory=list)
    mac_address: str = ""
    gw_priority: int = 0


_LONG_SYNTAX = re.compile(r"[0-9A-Za-z_]+=[0-9A-Za-z_]+(,[0-9A-Za-z_]+=[0-9A-Za-z_]+)*")


def parse_network(value: str) -> NetworkAttachment:
    """docker's ``NetworkOpt.Set`` (parse time).

    A value containing ``word=word`` anywhere is the CSV syntax
    ``name=NET,alias=A,ip=..,ip6=..,mac-address=..,link-local-ip=..,
    driver-opt=K=V,gw-priority=N``; each field is lower-cased whole (values
    included) and trimmed, as docker does. Anything else is a network name.
    """
    if not _LONG_SYNTAX.search(value):
        return NetworkAttachment(target=value)
    try:
        fields = _go.csv_first_record(value)
    except _go.CSVError as exc:
        raise ValueError(str(exc)) from None
    attachment = NetworkAttachment(target="")
    for item in fields:
        key, sep, text = _go.to_lower(item).partition("=")
        if not sep or not key:
            raise ValueError(f"invalid field {item}")
        key, text = _go.trim_space(key), _go.trim_space(text)
        if key == "name":
            attachment.target = text
        elif key == "alias":
            attachment.aliases.append(text)
        elif key == "ip":
            attachment.ipv4_address = text
        elif key == "ip6":
            attachment.ipv6_address = text
        elif key == "mac-address":
            attachment.mac_address = text
        elif key == "link-local-ip":
            attachment.link_local_ips.append(text)
        elif key == "driver-opt":
            opt_key, opt_sep, opt_value = _go.to_lower(text).partition("=")
            if not opt_sep or not opt_key:
                raise ValueError("invalid key value pair format in driver options")
            attachment.driver_opts[_go.trim_space(opt_key)] = _go.trim_space(opt_value)
        elif key == "gw-priority":
            try:
                attachment.gw_priority = values.atoi(text)
            except ValueError as exc:
                raise ValueError(
                    f"invalid gw-priority ({text}): {values.num_error_reason(exc)}") from None
        else:
            raise ValueError("invalid field key " + key)
    if not attachment.target:
        raise ValueError("network name/id is not specified")
    return attachment


# ---------------------------------------------------------------- parse()


def validate_mac_address(value: str) -> str:
    """``--mac-address``, checked first thing in ``parse()``. Raises UsageError."""
    try:
        _go.parse_mac(_go.trim_space(value))
    except ValueError:
        raise UsageError(f"{value} is not a valid mac address") from None
    return value


def is_container_mode(mode: str) -> bool:
    return mode.partition(":")[0] == "container" and ":" in mode


def is_user_defined(mode: str) -> bool:
    """``NetworkMode.IsUserDefined`` on Linux."""
    return mode not in NETWORK_MODES_BUILTIN and not is_container_mode(mode)


def _attachment(value) -> NetworkAttachment:
    return parse_network(value) if isinstance(value, str) else value


def network_mode(attachments: list) -> str:
    """HostConfig.NetworkMode: the first network's name, else ``default``.

    Takes NetworkAttachment objects or the ``--network`` texts.
    """
    return _attachment(attachments[0]).target if attachments else "default"


def network_name(mode: str) -> str:
    """``NetworkMode.NetworkName`` on Linux."""
    if is_container_mode(mode):
        return "container"
    return mode


def _empty_endpoint() -> dict:
    return {
        "IPAMConfig": None, "Links": None, "Aliases": None, "MacAddress": "",
        "DriverOpts": None, "GwPriority": 0, "NetworkID": "", "EndpointID": "",
        "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "IPv6Gateway": "",
        "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": None,
    }


def _apply_container_options(att: NetworkAttachment, aliases, links, ip, ip6, mac, link_local_ips):
    conflicts = (
        (att.aliases and aliases, "--network-alias and per-network alias"),
        (att.links and links, "--link and per-network links"),
        (att.ipv4_address and ip, "--ip and per-network IPv4 address"),
        (att.ipv6_address and ip6, "--ip6 and per-network IPv6 address"),
        (att.mac_address and mac, "--mac-address and per-network MAC address"),
        (att.link_local_ips and link_local_ips,
         "--link-local-ip and per-network link-local IP addresses"),
    )
    for clash, what in conflicts:
        if clash:
            raise UsageError(f"conflicting options: cannot specify both {what}")
    if aliases:
        att.aliases = list(aliases)
    # On a user-defined network --link makes an alias; on the default bridge
    # it is a legacy link carried only by HostConfig.Links.
    if is_user_defined(att.target) and links:
        att.links = list(links)
    if ip:
        att.ipv4_address = ip
    if ip6:
        att.ipv6_address = ip6
    if mac:
        att.mac_address = mac
    if link_local_ips:
        att.link_local_ips = list(link_local_ips)


def _endpoint(att: NetworkAttachment) -> dict:
    """docker's ``parseNetworkAttachmentOpt``: the EndpointSettings JSON."""
    if _go.trim_space(att.target) == "":
        raise UsageError("no name set for network")
    if not is_user_defined(att.target):
        if att.aliases:
            raise UsageError("network-scoped aliases are only supported for user-defined networks")
        if att.links:
            raise UsageError("links are only supported for user-defined networks")
    ep = _empty_endpoint()
    ep["GwPriority"] = att.gw_priority
    if att.aliases:
        ep["Aliases"] = list(att.aliases)
    if att.driver_opts:
        ep["DriverOpts"] = dict(att.driver_opts)
    if att.links:
        ep["Links"] = list(att.links)
    if att.ipv4_address or att.ipv6_address or att.link_local_ips:
        ipam = {}
        if att.ipv4_address:
            ipam["IPv4Address"] = att.ipv4_address
        if att.ipv6_address:
            ipam["IPv6Address"] = att.ipv6_address
        if att.link_local_ips:
            ipam["LinkLocalIPs"] = list(att.link_local_ips)
        ep["IPAMConfig"] = ipam
    if att.mac_address:
        ep["MacAddress"] = validate_mac_address(att.mac_address)
    return ep


def endpoints(
    attachments: list,
    aliases: list[str] = (),
    links: list[str] = (),
    ip: str = "",
    ip6: str = "",
    mac_address: str = "",
    link_local_ips: list[str] = (),
) -> dict[str, dict]:
    """NetworkingConfig.EndpointsConfig, as docker's ``parseNetworkOpts`` builds it.

    Without ``--network`` there is always a ``"default"`` endpoint. The
    plain flags (``--network-alias``, ``--link``, ``--ip``, ``--ip6``,
    ``--mac-address``, ``--link-local-ip``) apply to the first network; a
    single network without any setting gets no endpoint entry. Each value
    is the full EndpointSettings object docker sends. ``attachments`` may be
    NetworkAttachment objects or ``--network`` texts. Raises UsageError.
    """
    attachments = [NetworkAttachment(**vars(_attachment(a))) for a in attachments]
    for att in attachments:
        att.aliases, att.links = list(att.aliases), list(att.links)
        att.link_local_ips, att.driver_opts = list(att.link_local_ips), dict(att.driver_opts)
    plain = (aliases, links, ip, ip6, mac_address, link_local_ips)
    result: dict[str, dict] = {}
    if not attachments:
        default = NetworkAttachment(target="default")
        _apply_container_options(default, *plain)
        result["default"] = _endpoint(default)
    has_user, has_builtin = False, False
    for index, att in enumerate(attachments):
        if is_user_defined(att.target):
            has_user = True
        else:
            has_builtin = True
        if index == 0:
            _apply_container_options(att, *plain)
        ep = _endpoint(att)
        if att.target in result:
            raise UsageError(f'network "{att.target}" is specified multiple times')
        if index == 0 and len(attachments) == 1 and ep == _empty_endpoint():
            continue
        result[att.target] = ep
    if has_user and has_builtin:
        raise UsageError(
            "conflicting options: cannot attach both user-defined and non-user-defined network-modes")
    return result


def container_mac_address(mode: str, endpoints_config: dict[str, dict]) -> str:
    """Config.MacAddress: the MAC of the main network's endpoint (for API < 1.44)."""
    ep = endpoints_config.get(network_name(mode))
    return ep["MacAddress"] if ep else ""


def check_network_for_api(endpoints_config: dict[str, dict], api_version: str) -> None:
    """The docker client's refusal of per-endpoint MAC addresses below API 1.44.

    docker 28.2 sets ``--mac-address`` on the main endpoint too, so against
    an API 1.41 engine it refuses ``--mac-address`` altogether:
    ``docker: "specify mac-address per network" requires API version 1.44,
    but the Docker daemon API version is 1.41`` (status 125).
    """
    if version_tuple(api_version) >= (1, 44):
        return
    if any(ep.get("MacAddress") for ep in endpoints_config.values()):
        raise UsageError(
            '"specify mac-address per network" requires API version 1.44, '
            f"but the Docker daemon API version is {api_version}")
