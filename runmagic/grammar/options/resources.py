"""Resource flags: ``--ulimit``, ``--device``, ``--device-cgroup-rule``,
``--blkio-weight-device``, ``--device-read/write-bps/iops`` and ``--gpus``.

Parse-time validators (docker's option types' ``Set``) raise ValueError and
return the Engine JSON object for one value; ``--device`` is checked later,
in ``parse()`` (docker needs the daemon's OS first), so it raises UsageError.
"""

from __future__ import annotations

import re

from runmagic.errors import UsageError
from runmagic.golang import strconv as values
from runmagic.golang.strconv import parse_ram_bytes
from runmagic.golang import stdlib as _go

# ------------------------------------------------------------------ ulimits

ULIMIT_NAMES = (
    "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
    "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
)


def parse_ulimit(value: str) -> dict:
    """go-units ``ParseUlimit``: ``nofile=1024:2048`` -> {"Name", "Hard", "Soft"}.

    A missing hard limit equals the soft one; -1 means unlimited.
    """
    name, sep, limits = value.partition("=")
    if not sep:
        raise ValueError(f"invalid ulimit argument: {value}")
    if name not in ULIMIT_NAMES:
        raise ValueError(f"invalid ulimit type: {name}")
    parts = limits.split(":")
    if len(parts) > 2:
        raise ValueError(
            f"too many limit value arguments - {limits}, can only have up to two, `soft[:hard]`")
    hard = values.parse_int(parts[1], 64, 10) if len(parts) == 2 else None
    soft = values.parse_int(parts[0], 64, 10)
    if hard is None:
        hard = soft
    if hard != -1:
        if soft == -1:
            raise ValueError(
                "ulimit soft limit must be less than or equal to hard limit: "
                f"soft: -1 (unlimited), hard: {hard}")
        if soft > hard:
            raise ValueError(
                f"ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}")
    return {"Name": name, "Hard": hard, "Soft": soft}


def ulimit_list(ulimits: list) -> list[dict]:
    """HostConfig.Ulimits: the last value per name, sorted by name.

    Takes parsed dicts (from :func:`parse_ulimit`) or the flag's texts.
    """
    by_name = {}
    for u in ulimits:
        u = parse_ulimit(u) if isinstance(u, str) else u
        by_name[u["Name"]] = u
    return [by_name[name] for name in sorted(by_name)]


# ------------------------------------------------------------------ devices

_CGROUP_RULE = re.compile(r"[acb] ([0-9]+|\*):([0-9]+|\*) [rwm]{1,3}")


def validate_device_cgroup_rule(value: str) -> str:
    """``--device-cgroup-rule 'c 1:3 mr'`` (parse time)."""
    # Go's $ also matches before nothing else; a trailing newline is not allowed.
    if _CGROUP_RULE.fullmatch(value):
        return value
    raise ValueError(f"invalid device cgroup format '{value}'")


def valid_device_mode(mode: str) -> bool:
    """A non-empty combination of r, w and m, each at most once."""
    return bool(mode) and all(c in "rwm" for c in mode) and len(set(mode)) == len(mode)


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _cdi_name_ok(name: str, inner: str, letter_first: bool) -> bool:
    """CDI's name rule: a first letter (or alphanumeric), alphanumerics or
    ``inner`` punctuation in the middle, an alphanumeric last."""
    if not name:
        return False
    first = name[0]
    if not (first.isascii() and first.isalpha() if letter_first else _ascii_alnum(first)):
        return False
    if len(name) == 1:
        return True
    return all(_ascii_alnum(c) or c in inner for c in name[1:-1]) and _ascii_alnum(name[-1])


def is_cdi_name(device: str) -> bool:
    """CDI's ``IsQualifiedName``: ``vendor.com/class=name``.

    docker 28.2 crashes (a Go panic) on a one-character vendor or class;
    here those are judged by the evident intent (a letter is fine).
    """
    if not device or device.startswith("/"):
        return False
    qualifier, sep, name = device.partition("=")
    if not sep or not qualifier or not name:
        return False
    vendor, sep, klass = qualifier.partition("/")
    if not sep or not vendor or not klass:
        return False
    return (_cdi_name_ok(vendor, "_-.", True) and _cdi_name_ok(klass, "_-.", True)
            and _cdi_name_ok(name, "_-.:", False))


def _validate_linux_device_path(value: str) -> str:
    """docker's ``validateLinuxPath`` with the device-mode check."""
    if value.count(":") > 2:
        raise UsageError(f"bad format for path: {value}")
    parts = value.split(":", 2)
    if parts[0] == "":
        raise UsageError(f"bad format for path: {value}")
    if len(parts) == 1:
        container_path = parts[0]
        value = _go.clean_path(container_path)
    elif len(parts) == 2:
        if valid_device_mode(parts[1]):
            container_path = parts[0]
            value = f"{_go.clean_path(container_path)}:{parts[1]}"
        else:
            container_path = parts[1]
            value = f"{parts[0]}:{_go.clean_path(container_path)}"
    else:
        container_path = parts[1]
        if not valid_device_mode(parts[2]):
            raise UsageError(f"bad mode specified: {parts[2]}")
    if not container_path.startswith("/"):
        raise UsageError(f"{container_path} is not an absolute path")
    return value


def parse_device(value: str, server_os: str = "linux") -> dict:
    """One non-CDI ``--device`` -> {"PathOnHost", "PathInContainer", "CgroupPermissions"}.

    For a Windows daemon docker sends only PathOnHost. Raises UsageError.
    """
    if server_os == "windows":
        return {"PathOnHost": value, "PathInContainer": "", "CgroupPermissions": ""}
    if server_os != "linux":
        raise UsageError(f"unknown server OS: {server_os}")
    validated = _validate_linux_device_path(value)
    parts = validated.split(":", 3)
    source, target, permissions = parts[0], "", "rwm"
    if len(parts) == 3:
        permissions = parts[2]
    if len(parts) >= 2:
        if valid_device_mode(parts[1]):
            permissions = parts[1]
        else:
            target = parts[1]
    return {"PathOnHost": source, "PathInContainer": target or source,
            "CgroupPermissions": permissions}


def parse_devices(values: list[str], server_os: str = "linux") -> tuple[list[dict], list[str]]:
    """All ``--device`` values -> (HostConfig.Devices, CDI device names).

    CDI names (``vendor.com/class=name``) become one DeviceRequest with
    :func:`cdi_device_request`, appended after the ``--gpus`` requests.
    """
    devices, cdi = [], []
    for value in values:
        if is_cdi_name(value):
            cdi.append(value)
        else:
            devices.append(parse_device(value, server_os))
    return devices, cdi


def cdi_device_request(names: list[str]) -> dict:
    """The DeviceRequest docker adds for CDI ``--device`` names."""
    return {"Driver": "cdi", "Count": 0, "DeviceIDs": list(names), "Capabilities": None,
            "Options": None}


# -------------------------------------------------------------------- blkio

_BPS_HINT = ("The correct format is <device-path>:<number>[<unit>]. Number must be a "
             "positive integer. Unit is optional and can be kb, mb, or gb")
_IOPS_HINT = "The correct format is <device-path>:<number>. Number must be a positive integer"


def _device_and_value(value: str) -> tuple[str, str]:
    path, sep, rest = value.partition(":")
    if not sep or not path:
        raise ValueError(f"bad format: {value}")
    if not path.startswith("/dev/"):
        raise ValueError(f"bad format for device path: {value}")
    return path, rest


def parse_weight_device(value: str) -> dict:
    """``--blkio-weight-device /dev/sda:100`` -> {"Path", "Weight"} (parse time)."""
    path, text = _device_and_value(value)
    try:
        weight = values.parse_uint(text, 16, 10)
    except ValueError:
        raise ValueError(f"invalid weight for device: {value}") from None
    if weight > 0 and not 10 <= weight <= 1000:
        raise ValueError(f"invalid weight for device: {value}")
    return {"Path": path, "Weight": weight}


def parse_throttle_bps_device(value: str) -> dict:
    """``--device-read-bps /dev/sda:1mb`` -> {"Path", "Rate"} in bytes (parse time)."""
    path, text = _device_and_value(value)
    try:
        rate = parse_ram_bytes(text)
    except ValueError:
        rate = -1
    if rate < 0:
        raise ValueError(f"invalid rate for device: {value}. {_BPS_HINT}")
    return {"Path": path, "Rate": rate}


def parse_throttle_iops_device(value: str) -> dict:
    """``--device-write-iops /dev/sda:1000`` -> {"Path", "Rate"} (parse time)."""
    path, text = _device_and_value(value)
    try:
        rate = values.parse_uint(text, 64, 10)
    except ValueError:
        raise ValueError(f"invalid rate for device: {value}. {_IOPS_HINT}") from None
    return {"Path": path, "Rate": rate}


# --------------------------------------------------------------------- gpus


def _gpu_count(text: str) -> int:
    if text == "all":
        return -1
    try:
        return values.atoi(text)
    except ValueError as exc:
        raise ValueError(
            f'invalid count ({text}): value must be either "all" or an integer: '
            f"{values.num_error_reason(exc)}") from None


def parse_gpus(value: str) -> dict:
    """docker's ``GpuOpts.Set``: one ``--gpus`` value -> an Engine DeviceRequest.

    ``all`` / ``2`` / ``count=N``, ``device=0,1`` (quote the field: CSV),
    ``driver=``, ``capabilities=`` (``gpu`` is always added), ``options=``.
    """
    try:
        fields = _go.csv_first_record(value)
    except _go.CSVError as exc:
        raise ValueError(str(exc)) from None
    request = {"Driver": "", "Count": 0, "DeviceIDs": None, "Capabilities": None, "Options": None}
    seen: set[str] = set()
    for field in fields:
        key, has_value, text = field.partition("=")
        if key in seen:
            raise ValueError(f"gpu request key '{key}' can be specified only once")
        seen.add(key)
        if not has_value:
            seen.add("count")
            request["Count"] = _gpu_count(key)
            continue
        if key == "driver":
            request["Driver"] = text
        elif key == "count":
            request["Count"] = _gpu_count(text)
        elif key == "device":
            request["DeviceIDs"] = text.split(",")
        elif key == "capabilities":
            request["Capabilities"] = [text.split(",") + ["gpu"]]
        elif key == "options":
            try:
                options = _go.csv_first_record(text)
            except _go.CSVError as exc:
                raise ValueError(f"failed to read gpu options: {exc}") from None
            request["Options"] = {k: v for k, _, v in (o.partition("=") for o in options)}
        else:
            raise ValueError(f"unexpected key '{key}' in '{field}'")
    if "count" not in seen and request["DeviceIDs"] is None:
        request["Count"] = 1
    if request["Options"] is None:
        request["Options"] = {}
    if request["Capabilities"] is None:
        request["Capabilities"] = [["gpu"]]
    return request
