"""``--security-opt``, ``--cap-add``/``--cap-drop``, ``--sysctl``.

* ``--security-opt`` is checked in ``parse()`` (UsageError): every option
  needs ``KEY=VALUE`` or ``KEY:VALUE`` except ``no-new-privileges``; a
  ``seccomp`` value other than ``builtin``/``unconfined`` is a file whose JSON
  is compacted and inlined; ``systempaths=unconfined`` is consumed by the
  client and turns into empty MaskedPaths/ReadonlyPaths.
* Capabilities are normalised by docker's API client: upper-cased, ``CAP_``
  prefixed (except ``ALL``), de-duplicated and sorted; never split at commas
  or trimmed.
* ``--sysctl`` is validated at parse time (ValueError).
"""

from __future__ import annotations


from runmagic.errors import UsageError
from runmagic.golang.strconv import go_quote
from runmagic.golang import stdlib as _go
from runmagic.golang import jsonsyntax as _gojson

SECCOMP_BUILTIN = ("builtin", "unconfined")

_ALLOWED_SYSCTLS = frozenset({
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
})
_ALLOWED_SYSCTL_PREFIXES = ("net.", "fs.mqueue.")


def validate_sysctl(value: str) -> str:
    """docker's ``ValidateSysctl`` (parse time): namespaced sysctls only."""
    key, sep, _ = value.partition("=")
    if sep and key and (key in _ALLOWED_SYSCTLS or key.startswith(_ALLOWED_SYSCTL_PREFIXES)):
        return value
    raise ValueError(f"sysctl '{value}' is not allowed")


def normalize_capability(cap: str) -> str:
    """``net_admin`` -> ``CAP_NET_ADMIN``; ``all`` -> ``ALL``."""
    cap = _go.to_upper(cap)
    if cap == "ALL" or cap.startswith("CAP_"):
        return cap
    return "CAP_" + cap


def normalize_capabilities(caps: list[str]) -> list[str] | None:
    """HostConfig.CapAdd/CapDrop as docker sends them (None when empty)."""
    normalized = sorted({normalize_capability(c) for c in caps})
    return normalized or None


def read_seccomp_profile(path: str, cwd: str | None = None) -> str:
    """The compacted JSON of a seccomp profile file. Raises UsageError."""
    try:
        data = _go.read_file(path, cwd)
    except _go.FileError as exc:
        raise UsageError(f"opening seccomp profile ({path}) failed: {exc}") from None
    try:
        compacted = _gojson.compact(data)
    except ValueError as exc:
        raise UsageError(f"compacting json for seccomp profile ({path}) failed: {exc}") from None
    # Go's JSON encoder replaces invalid UTF-8 with U+FFFD when sending it.
    return compacted.decode("utf-8", "replace")


def parse_security_opts(
    options: list[str], cwd: str | None = None
) -> tuple[list[str] | None, list[str] | None, list[str] | None]:
    """All ``--security-opt`` values -> (SecurityOpt, MaskedPaths, ReadonlyPaths).

    SecurityOpt is None without any option (docker sends null) and ``[]``
    when ``systempaths=unconfined`` was the only one. MaskedPaths and
    ReadonlyPaths are ``[]`` with ``systempaths=unconfined`` and None
    otherwise (the engine's defaults). Raises UsageError.
    """
    result = list(options)
    for index, option in enumerate(result):
        key, sep, value = option.partition("=")
        if not sep and key != "no-new-privileges":
            key, sep, value = option.partition(":")
        if (not sep or value == "") and key != "no-new-privileges":
            raise UsageError(f"Invalid --security-opt: {go_quote(option)}")
        if key == "seccomp" and value not in SECCOMP_BUILTIN:
            result[index] = "seccomp=" + read_seccomp_profile(value, cwd)
    if not options:
        return None, None, None  # docker sends null when the flag was not given
    masked = readonly = None
    kept = []
    for option in result:
        if option == "systempaths=unconfined":
            masked, readonly = [], []
        else:
            kept.append(option)
    return kept, masked, readonly
