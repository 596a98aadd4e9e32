"""``docker network create|ls|inspect|rm|connect|disconnect``."""

from __future__ import annotations

import ipaddress

from runmagic.grammar.options.env import kv_map
from runmagic.result import CommandOutput
from runmagic.formatting import listing as fmt
from runmagic.golang import values as gv
from runmagic.commands.context import Context
from runmagic.engine.client import filters_param
from runmagic.errors import CommandError, DaemonResponse
from runmagic.formatting.listing import natural_less_key
from runmagic.commands.inspect import inspect_networks
from runmagic.grammar.command_flags import filter_args


def _flat(values: list[list[str]]) -> list[str]:
    return [item for value in values for item in value]


def _cidr(text: str, prefix: str = "") -> ipaddress.IPv4Interface | ipaddress.IPv6Interface:
    """Go's net.ParseCIDR: an address with a prefix length."""
    try:
        if "/" not in text:
            raise ValueError(text)
        return ipaddress.ip_interface(text)
    except ValueError:
        raise CommandError(f"{prefix}invalid CIDR address: {text}") from None


def _contains(subnet: str, data: str) -> bool:
    """docker's subnetMatches: is the address (or a CIDR's address) in the subnet."""
    network = _cidr(subnet, "invalid subnet: ").network
    if "/" in data:
        address = _cidr(data).ip
    else:
        try:
            address = ipaddress.ip_address(data)
        except ValueError:
            return False
    return address.version == network.version and address in network


def ipam_config(subnets: list[str], ip_ranges: list[str], gateways: list[str],
                aux_addresses: dict[str, str]) -> list[dict]:
    """docker's createIPAMConfig: each range, gateway and auxiliary address
    attached to the one subnet that contains it."""
    if len(subnets) < len(ip_ranges) or len(subnets) < len(gateways):
        raise CommandError("every ip-range or gateway must have a corresponding subnet")
    configs: dict[str, dict] = {}
    for subnet in subnets:
        for other in configs:
            if _contains(subnet, other) or _contains(other, subnet):
                raise CommandError("multiple overlapping subnet configuration is not supported")
        configs[subnet] = {"Subnet": subnet, "AuxiliaryAddresses": {}}
    for ip_range in ip_ranges:
        matched = False
        for subnet in subnets:
            _cidr(ip_range)
            if not _contains(subnet, ip_range):
                continue
            if configs[subnet].get("IPRange"):
                raise CommandError(f"cannot configure multiple ranges ({ip_range}, "
                                   f"{configs[subnet]['IPRange']}) on the same subnet ({subnet})")
            configs[subnet]["IPRange"] = ip_range
            matched = True
        if not matched:
            raise CommandError(f"no matching subnet for range {ip_range}")
    for gateway in gateways:
        matched = False
        for subnet in subnets:
            if not _contains(subnet, gateway):
                continue
            if configs[subnet].get("Gateway"):
                raise CommandError(f"cannot configure multiple gateways ({gateway}, "
                                   f"{configs[subnet]['Gateway']}) for the same subnet ({subnet})")
            configs[subnet]["Gateway"] = gateway
            matched = True
        if not matched:
            raise CommandError(f"no matching subnet for gateway {gateway}")
    for key, address in aux_addresses.items():
        matched = False
        for subnet in subnets:
            if _contains(subnet, address):
                configs[subnet]["AuxiliaryAddresses"][key] = address
                matched = True
        if not matched:
            raise CommandError(f"no matching subnet for aux-address {address}")
    for config in configs.values():
        if not config["AuxiliaryAddresses"]:
            del config["AuxiliaryAddresses"]  # omitempty
    return list(configs.values())


def create(ctx: Context, parsed) -> None:
    config = ipam_config(_flat(parsed.get("subnet")), _flat(parsed.get("ip-range")),
                         _flat(parsed.get("gateway")), kv_map(parsed.get("aux-address")))
    body = {
        "Name": parsed.args[0],
        "Driver": parsed.get("driver"),
        "Scope": parsed.get("scope") or "",
        "IPAM": {"Driver": parsed.get("ipam-driver"), "Config": config,
                 "Options": kv_map(parsed.get("ipam-opt"))},
        "Internal": parsed.get("internal"),
        "Attachable": parsed.get("attachable"),
        "Ingress": parsed.get("ingress"),
        "ConfigOnly": parsed.get("config-only"),
        "Options": kv_map(parsed.get("opt")),
        "Labels": kv_map(parsed.get("label")),
    }
    for flag, key in (("ipv4", "EnableIPv4"), ("ipv6", "EnableIPv6")):
        if flag in parsed:
            body[key] = parsed.get(flag)
    if parsed.get("config-from"):
        body["ConfigFrom"] = {"Network": parsed.get("config-from")}
    if tuple(int(p) for p in ctx.engine.api_version.split(".")[:2]) < (1, 44):
        body["CheckDuplicate"] = True
    answer = ctx.engine.post("/networks/create", body=body)
    ctx.out(answer["Id"] + "\n")


def ls(ctx: Context, parsed) -> CommandOutput:
    networks = ctx.engine.get_json("/networks", params=filters_param(filter_args(parsed)))
    networks = sorted(networks or [], key=lambda n: natural_less_key(n.get("Name", "")))
    rows = [gv.Value(fmt.NETWORK_CONTEXT, fmt.Row(n, trunc=not parsed.get("no-trunc"))) for n in networks]
    rendered = fmt.render(fmt.network_format(parsed.get("format") or "", parsed.get("quiet")),
                          rows, fmt.NETWORK_HEADERS)
    return CommandOutput(rendered.text, rendered.html(), networks)


def inspect(ctx: Context, parsed) -> CommandOutput:
    return inspect_networks(ctx, parsed)


def rm(ctx: Context, parsed) -> None:
    """docker prints each failure as it happens and ends with ``exit status 1``."""
    failed = False
    for name in parsed.args:
        try:
            ctx.engine.delete("/networks/{0}", name)
        except DaemonResponse as exc:
            if not (parsed.get("force") and exc.not_found):
                ctx.err(f"{exc}\n")
                failed = True
            continue
        ctx.out(name + "\n")
    if failed:
        raise CommandError("exit status 1")


def _driver_opts(options: list[str]) -> dict[str, str]:
    out = {}
    for option in options:
        key, has_value, value = option.partition("=")
        key = key.strip()
        if not has_value or not key:
            raise CommandError("invalid key/value pair format in driver options")
        out[key] = value.strip()
    return out


def connect(ctx: Context, parsed) -> None:
    network, container = parsed.args
    endpoint = {
        "IPAMConfig": {k: v for k, v in (
            ("IPv4Address", parsed.get("ip") or ""), ("IPv6Address", parsed.get("ip6") or ""),
            ("LinkLocalIPs", _flat(parsed.get("link-local-ip")))) if v},
        "Links": parsed.get("link") or None,
        "Aliases": _flat(parsed.get("alias")),
        "DriverOpts": _driver_opts(_flat(parsed.get("driver-opt"))),
        "GwPriority": parsed.get("gw-priority"),
    }
    ctx.engine.post("/networks/{0}/connect", network,
                body={"Container": container, "EndpointConfig": endpoint})


def disconnect(ctx: Context, parsed) -> None:
    network, container = parsed.args
    ctx.engine.post("/networks/{0}/disconnect", network,
                body={"Container": container, "Force": parsed.get("force")})
