"""--network, --link, --add-host, --dns, --dns-search, --mac-address (docker 28.2)."""

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.grammar.options.network import (
    NetworkAttachment, check_network_for_api, container_mac_address, endpoints, network_mode,
    parse_link, parse_network, validate_dns_search, validate_extra_host, validate_ip_address,
    validate_link, validate_mac_address,
)

EMPTY = {"IPAMConfig": None, "Links": None, "Aliases": None, "MacAddress": "", "DriverOpts": None,
         "GwPriority": 0, "NetworkID": "", "EndpointID": "", "Gateway": "", "IPAddress": "",
         "IPPrefixLen": 0, "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
         "DNSNames": None}


def ep(**fields):
    return {**EMPTY, **fields}


def test_default_endpoint_is_always_there():
    # docker 28.2 with no --network: {"default": <all zero EndpointSettings>}
    assert endpoints([]) == {"default": EMPTY}
    assert network_mode([]) == "default"


def test_plain_flags_apply_to_first_network():
    got = endpoints([parse_network("mynet")], aliases=["x"], links=["a:b"], ip="1.2.3.4",
                    ip6="::5", link_local_ips=["169.254.1.1"])
    assert got == {"mynet": ep(
        IPAMConfig={"IPv4Address": "1.2.3.4", "IPv6Address": "::5", "LinkLocalIPs": ["169.254.1.1"]},
        Links=["a:b"], Aliases=["x"])}


def test_long_syntax():
    att = parse_network("name=n1,alias=a1,alias=a2,driver-opt=K=V,ip=1.1.1.1,gw-priority=5,"
                        "link-local-ip=fe80::1")
    assert endpoints([att]) == {"n1": ep(
        IPAMConfig={"IPv4Address": "1.1.1.1", "LinkLocalIPs": ["fe80::1"]},
        Aliases=["a1", "a2"], DriverOpts={"k": "v"}, GwPriority=5)}
    # Whole fields are lower-cased and trimmed, names included.
    att = parse_network("NAME=N1, Alias = X ")
    assert att.target == "n1" and att.aliases == ["x"]
    assert network_mode([att]) == "n1"


def test_single_plain_network_has_no_endpoint():
    assert endpoints([parse_network("bridge")], links=["a:b"]) == {}
    assert endpoints([parse_network("name=n1")]) == {}
    assert endpoints([parse_network("n1"), parse_network("n2")]) == {"n1": EMPTY, "n2": EMPTY}


def test_parse_network_plain():
    assert parse_network("container:abc") == NetworkAttachment(target="container:abc")
    assert parse_network("my-net") == NetworkAttachment(target="my-net")


@pytest.mark.parametrize("args, message", [
    (([NetworkAttachment("none")], ["x"]),
     "network-scoped aliases are only supported for user-defined networks"),
    (([NetworkAttachment("n1"), NetworkAttachment("host")],),
     "conflicting options: cannot attach both user-defined and non-user-defined network-modes"),
    (([NetworkAttachment("n1"), NetworkAttachment("n1")],), 'network "n1" is specified multiple times'),
    (([NetworkAttachment("n1", aliases=["a"])], ["b"]),
     "conflicting options: cannot specify both --network-alias and per-network alias"),
    (([NetworkAttachment("n1", ipv4_address="1.1.1.1")], [], [], "1.1.1.2"),
     "conflicting options: cannot specify both --ip and per-network IPv4 address"),
    (([NetworkAttachment("n1", mac_address="zz")],), "zz is not a valid mac address"),
])
def test_endpoint_errors(args, message):
    with pytest.raises(UsageError) as info:
        endpoints(*args)
    assert info.value.message == message


@pytest.mark.parametrize("value, message", [
    ("name=n1,bogus=1", "invalid field key bogus"),
    ("x=y", "invalid field key x"),
    ("a=b,c", "invalid field key a"),
    ("name=n,gw-priority=x", "invalid gw-priority (x): invalid syntax"),
    ("name=n,driver-opt=x", "invalid key value pair format in driver options"),
    ("a b=c d", "invalid field key a b"),
    ("=,a=b", "invalid field ="),
    ("n1,n2=x", "invalid field n1"),
    ("alias=x_y", "network name/id is not specified"),
])
def test_network_errors(value, message):
    with pytest.raises(ValueError) as info:
        parse_network(value)
    assert str(info.value) == message


def test_mac_address():
    assert validate_mac_address("02:42:ac:11:00:02") == "02:42:ac:11:00:02"
    with pytest.raises(UsageError) as info:
        validate_mac_address("zz")
    assert info.value.message == "zz is not a valid mac address"
    eps = endpoints([], mac_address="02:42:ac:11:00:02")
    assert container_mac_address("default", eps) == "02:42:ac:11:00:02"
    with pytest.raises(UsageError) as info:
        check_network_for_api(eps, "1.41")
    # Exactly what docker 28.2 prints against this machine's API 1.41 engine.
    assert info.value.message == ('"specify mac-address per network" requires API version 1.44, '
                                  "but the Docker daemon API version is 1.41")
    check_network_for_api(eps, "1.44")


def test_links():
    assert parse_link("a") == ("a", "a")
    assert parse_link("b:c") == ("b", "c")
    assert parse_link("/d:/e/f") == ("d", "f")
    assert validate_link("b:c") == "b:c"
    with pytest.raises(ValueError, match="^empty string specified for links$"):
        validate_link("")
    with pytest.raises(ValueError, match="^bad format for links: a:b:c$"):
        validate_link("a:b:c")


@pytest.mark.parametrize("value, stored", [
    ("a:1.2.3.4", "a:1.2.3.4"), ("b=::1", "b:::1"), ("c=[::2]", "c:::2"),
    ("d:host-gateway", "d:host-gateway"), ("e:::ffff:1.2.3.4", "e:::ffff:1.2.3.4"),
    ("f= 1.2.3.4", "f: 1.2.3.4"),
])
def test_extra_hosts(value, stored):
    assert validate_extra_host(value) == stored


@pytest.mark.parametrize("value, message", [
    ("a", 'bad format for add-host: "a"'),
    (":1.2.3.4", 'bad format for add-host: ":1.2.3.4"'),
    ("a:b:1.2.3.4", 'invalid IP address in add-host: "b:1.2.3.4"'),
    ("a=[::1", 'invalid IP address in add-host: "[::1"'),
    ("a=bogus", 'invalid IP address in add-host: "bogus"'),
    ("a:b=1.2.3.4", 'bad format for add-host: "a:b=1.2.3.4"'),
])
def test_extra_host_errors(value, message):
    with pytest.raises(ValueError) as info:
        validate_extra_host(value)
    assert str(info.value) == message


def test_dns():
    assert validate_ip_address(" 8.8.8.8 ") == "8.8.8.8"
    assert validate_ip_address("::ffff:1.2.3.4") == "1.2.3.4"
    assert validate_ip_address("0:0::1") == "::1"
    for bad in ("x", "[::1]", "fe80::1%eth0", "1.2.3.04"):
        with pytest.raises(ValueError) as info:
            validate_ip_address(bad)
        assert str(info.value) == f"IP address is not correctly formatted: {bad}"


def test_dns_search():
    assert validate_dns_search("example.com") == "example.com"
    assert validate_dns_search(".") == "."
    assert validate_dns_search(" a.b ") == "a.b"
    assert validate_dns_search("a.com.") == "a.com"
    for bad in ("123", "a..b", "-a.com"):
        with pytest.raises(ValueError) as info:
            validate_dns_search(bad)
        assert str(info.value) == f"{bad} is not a valid domain"


@given(st.text(max_size=30))
def test_parse_time_validators_raise_value_error_only(value):
    for func in (parse_network, validate_extra_host, validate_ip_address, validate_dns_search,
                 validate_link):
        try:
            func(value)
        except ValueError:
            pass


def test_texts_are_accepted_where_attachments_are():
    assert network_mode(["name=N1"]) == "n1"
    assert endpoints(["n1", "n2"]) == {"n1": EMPTY, "n2": EMPTY}
