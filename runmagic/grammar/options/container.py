"""The remaining checks of docker's ``parse()`` and ``create``: restart
policy, logging options, storage options, healthcheck, namespace modes,
memory swappiness, ``--attach``, ``--pull`` and ``--platform``.

``validate_attach`` runs at parse time (ValueError); the rest raise
UsageError as docker's ``parse()``/``create`` do (``docker: MSG``, 125).
"""

from __future__ import annotations

import platform as _platform
import re

from runmagic.errors import UsageError
from runmagic.golang.strconv import go_quote
from runmagic.grammar.options.env import kv_map

# ----------------------------------------------------------------- attach


def validate_attach(value: str) -> str:
    """``-a`` (parse time): stdin/stdout/stderr in any case -> lower case."""
    lowered = value.lower()
    if lowered in ("stdin", "stdout", "stderr"):
        return lowered
    raise ValueError("valid streams are STDIN, STDOUT and STDERR")


def attach_streams(attach: list[str], interactive: bool) -> tuple[bool, bool, bool, bool]:
    """(AttachStdin, AttachStdout, AttachStderr, StdinOnce) as ``parse()`` sets them.

    Without ``-a`` stdout and stderr are attached; ``-i`` attaches stdin; an
    open and attached stdin closes when the client detaches (StdinOnce).
    """
    stdin = "stdin" in attach or interactive
    if attach:
        stdout, stderr = "stdout" in attach, "stderr" in attach
    else:
        stdout = stderr = True
    return stdin, stdout, stderr, bool(interactive and stdin)


# ---------------------------------------------------------------- restart


def parse_restart_policy(policy: str) -> dict:
    """``--restart`` -> {"Name", "MaximumRetryCount"}; the name is the engine's to check.

    ``""`` gives ``{"Name": "", "MaximumRetryCount": 0}`` (the flag's default
    is ``"no"``).
    """
    name, sep, count = policy.partition(":")
    if sep and name == "":
        raise UsageError("invalid restart policy format: no policy provided before colon")
    retries = 0
    if count != "":
        body = count[1:] if count[:1] in "+-" else count
        if not body or not all("0" <= c <= "9" for c in body) or not -(1 << 63) <= int(count) < 1 << 63:
            raise UsageError("invalid restart policy format: maximum retry count must be an integer")
        retries = int(count)
    return {"Name": name, "MaximumRetryCount": retries}


def check_restart_with_rm(policy: dict, auto_remove: bool) -> None:
    """``--rm`` with a restart policy other than no/empty is refused."""
    if auto_remove and policy["Name"] not in ("no", ""):
        raise UsageError("conflicting options: cannot specify both --restart and --rm")


# ---------------------------------------------------------------- logging


def parse_log_opts(driver: str, options: list[str]) -> dict[str, str]:
    """``--log-opt`` values -> LogConfig.Config; refused for the ``none`` driver."""
    config = kv_map(options)
    if driver == "none" and options:
        raise UsageError(f"invalid logging opts for driver {driver}")
    return config


def parse_storage_opts(options: list[str]) -> dict[str, str]:
    """``--storage-opt size=1G`` -> HostConfig.StorageOpt."""
    out: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep:
            raise UsageError("invalid storage option")
        out[key] = value
    return out


# ------------------------------------------------------------ healthcheck


def healthcheck(
    no_healthcheck: bool = False,
    cmd: str = "",
    interval: int = 0,
    timeout: int = 0,
    start_period: int = 0,
    start_interval: int = 0,
    retries: int = 0,
) -> dict | None:
    """Config.Healthcheck from the ``--health-*`` flags (durations in ns).

    None when nothing was set; ``{"Test": ["NONE"]}`` for ``--no-healthcheck``.
    Zero fields are left out, as docker's JSON does.
    """
    have = bool(cmd) or any((interval, timeout, start_period, retries, start_interval))
    if no_healthcheck:
        if have:
            raise UsageError("--no-healthcheck conflicts with --health-* options")
        return {"Test": ["NONE"]}
    if not have:
        return None
    for value, flag in ((interval, "interval"), (timeout, "timeout"), (retries, "retries"),
                        (start_period, "start-period"), (start_interval, "start-interval")):
        if value < 0:
            raise UsageError(f"--health-{flag} cannot be negative")
    out: dict = {}
    if cmd:
        out["Test"] = ["CMD-SHELL", cmd]
    for key, value in (("Interval", interval), ("Timeout", timeout), ("StartPeriod", start_period),
                       ("StartInterval", start_interval), ("Retries", retries)):
        if value:
            out[key] = value
    return out


# ------------------------------------------------------------- namespaces


def _container_ref(mode: str) -> str | None:
    kind, sep, ref = mode.partition(":")
    return ref if sep and kind == "container" else None


def validate_namespace_modes(pid: str = "", uts: str = "", userns: str = "", cgroupns: str = "") -> None:
    """The modes ``parse()`` checks, in its order. ``--ipc`` is left to the engine."""
    if not (pid in ("", "host") or _container_ref(pid)):
        raise UsageError("--pid: invalid PID mode")
    if uts not in ("", "host"):
        raise UsageError("--uts: invalid UTS mode")
    if userns not in ("", "host"):
        raise UsageError("--userns: invalid USER mode")
    if cgroupns not in ("", "private", "host"):
        raise UsageError("--cgroupns: invalid CGROUP mode")


def check_swappiness(value: int) -> None:
    """``--memory-swappiness``: -1 (unset) or 0..100."""
    if value != -1 and not 0 <= value <= 100:
        raise UsageError(f"invalid value: {value}. Valid memory swappiness range is 0-100")


PULL_POLICIES = ("always", "missing", "never")


def validate_pull(value: str) -> str:
    """``--pull``, checked before anything else in ``run``/``create``; "" is
    accepted (and, like ``never``, pulls nothing)."""
    if value in (*PULL_POLICIES, ""):
        return value
    raise UsageError(
        f"invalid pull option: '{value}': must be one of \"always\", \"missing\" or \"never\"")


# --------------------------------------------------------------- platform

_KNOWN_OS = frozenset(
    "aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd "
    "openbsd plan9 solaris windows zos".split())
_KNOWN_ARCH = frozenset(
    "386 amd64 amd64p32 arm armbe arm64 arm64be ppc64 ppc64le loong64 mips mipsle "
    "mips64 mips64le mips64p32 mips64p32le ppc riscv riscv64 s390 s390x sparc sparc64 "
    "wasm".split())
_SPECIFIER = re.compile(r"[A-Za-z0-9_.-]+")
_OS_AND_VERSION = re.compile(r"([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)\))?")
_MACHINE_TO_GOARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64",
                      "i386": "386", "i686": "386", "armv7l": "arm", "armv6l": "arm",
                      "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64"}


def client_arch() -> str:
    """The GOARCH a docker CLI built for this machine would have."""
    machine = _platform.machine().lower()
    return _MACHINE_TO_GOARCH.get(machine, machine)


def _normalize_arch(arch: str, variant: str) -> tuple[str, str]:
    arch, variant = arch.lower(), variant.lower()
    if arch == "i386":
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        if variant in ("8", "v8", "v8.0"):
            variant = ""
        elif variant in ("9", "9.0", "v9.0"):
            variant = "v9"
        return "arm64", variant
    if arch == "armhf":
        return "arm", "v7"
    if arch == "armel":
        return "arm", "v6"
    if arch == "arm":
        if variant in ("", "7"):
            variant = "v7"
        elif variant in ("5", "6", "8"):
            variant = "v" + variant
    return arch, variant


def _invalid_platform(message: str) -> UsageError:
    return UsageError(f"error parsing specified platform: {message}: invalid argument")


def parse_platform(specifier: str, host_os: str = "linux", host_arch: str | None = None) -> str:
    """containerd's ``platforms.Parse`` then docker's format: the ``platform``
    query value of the create request (``linux/amd64``, ``linux/arm/v7``).

    The OS version in ``os(version)`` is parsed but, as in docker, not sent.
    Missing parts default to the client's OS/architecture. Raises UsageError.
    """
    host_arch = host_arch or client_arch()
    quoted = go_quote(specifier)
    if "*" in specifier:
        raise _invalid_platform(f"{quoted}: wildcards not yet supported")
    parts = specifier.split("/", 3)
    os_name = ""
    for index, part in enumerate(parts):
        if index == 0:
            match = _OS_AND_VERSION.fullmatch(part)
            if not match:
                raise _invalid_platform(
                    f'{go_quote(part)} is an invalid OS component of {quoted}: OSAndVersion specifier '
                    'component must match "^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.-]*)\\\\))?$"')
            os_name = match.group(1).lower()
            if os_name == "macos":
                os_name = "darwin"
        elif not _SPECIFIER.fullmatch(part):
            raise _invalid_platform(
                f'{go_quote(part)} is an invalid component of {quoted}: platform specifier component '
                'must match "^[A-Za-z0-9_.-]+$"')
    if len(parts) == 1:
        if os_name in _KNOWN_OS:
            arch, variant = host_arch, ""
        else:
            arch, variant = _normalize_arch(parts[0], "")
            if arch == "arm" and variant == "v7":
                variant = ""
            if arch not in _KNOWN_ARCH:
                raise _invalid_platform(f"{quoted}: unknown operating system or architecture")
            os_name = host_os
    elif len(parts) == 2:
        arch, variant = _normalize_arch(parts[1], "")
        if arch == "arm" and variant == "v7":
            variant = ""
    elif len(parts) == 3:
        arch, variant = _normalize_arch(parts[1], parts[2])
        if arch == "arm64" and variant == "":
            variant = "v8"
    else:
        raise _invalid_platform(f"{quoted}: cannot parse platform specifier")
    return "/".join(p for p in (os_name, arch, variant) if p)
