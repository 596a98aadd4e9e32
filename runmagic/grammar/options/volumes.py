"""``-v/--volume``, ``--tmpfs`` and ``--mount``.

* ``-v`` goes through docker's compose volume-spec parser (``loader.ParseVolume``)
  in ``parse()``: a spec with a source becomes a ``HostConfig.Binds`` entry
  (relative ``./``/``../`` host paths made absolute, ``~`` left alone), a spec
  without one an anonymous volume in ``Config.Volumes`` keyed by the spec as
  typed. The client only rejects malformed specs (``invalid spec: ...``);
  modes, options and targets are the engine's to judge. Errors: UsageError.
* ``--tmpfs PATH[:OPTIONS]`` is split at the first colon, unchecked.
* ``--mount`` is docker's ``MountOpt.Set``: a CSV of ``key[=value]`` checked
  at flag-parse time, so errors are ValueError. The result is the Engine's
  Mount JSON as the docker CLI sends it (Go's ``omitempty`` applied).
"""

from __future__ import annotations

from typing import NamedTuple

from runmagic.errors import UsageError
from runmagic.golang.strconv import parse_bool, parse_ram_bytes, parse_uint, version_tuple
from runmagic.golang import stdlib as _go

# --------------------------------------------------------------------- -v

PROPAGATIONS = ("rprivate", "private", "rshared", "shared", "rslave", "slave")


class VolumeSpec(NamedTuple):
    """Where one ``-v`` value goes: ``kind`` is ``"bind"`` (``value`` is the
    HostConfig.Binds string) or ``"volume"`` (``value`` is the Config.Volumes key)."""

    kind: str
    value: str


class ParsedVolume(NamedTuple):
    """What docker's compose ``ParseVolume`` makes of a spec."""

    type: str  # "bind" or "volume"
    source: str
    target: str
    read_only: bool
    propagation: str
    nocopy: bool


def _is_windows_drive(buffer: str, char: str) -> bool:
    return char == ":" and len(buffer) == 1 and _go.is_letter(buffer)


def _is_file_path(source: str) -> bool:
    if source[0] in "./~":
        return True
    if len(source) == 1:
        return False
    if source.startswith("\\\\"):
        return True
    # A drive letter: one letter, then ':' (Go looks at the next byte).
    return _go.is_letter(source[0]) and source[1] == ":"


def parse_volume_spec(spec: str) -> ParsedVolume:
    """docker's compose ``loader.ParseVolume``; raises ValueError in its words."""
    if spec == "":
        raise ValueError("invalid empty volume spec")
    if len(spec.encode("utf-8", "surrogateescape")) <= 2:
        # Go measures bytes here: one- and two-byte specs are targets.
        return ParsedVolume("volume", "", spec, False, "", False)

    source = target = ""
    read_only = nocopy = False
    propagation = ""
    buffer = ""
    end = "\0"
    for char in spec + end:
        if _is_windows_drive(buffer, char):
            buffer += char
            continue
        if char not in (":", end):
            buffer += char
            continue
        # The end of a section.
        if buffer == "":
            raise ValueError(f"invalid spec: {spec}: empty section between colons")
        if source == "" and char == end:
            target = buffer
        elif source == "":
            source = buffer
        elif target == "":
            target = buffer
        elif char == ":":
            raise ValueError(f"invalid spec: {spec}: too many colons")
        else:
            for option in buffer.split(","):
                if option == "ro":
                    read_only = True
                elif option == "rw":
                    read_only = False
                elif option == "nocopy":
                    nocopy = True
                elif option in PROPAGATIONS:
                    propagation = option
                # Other options are the engine's business.
        buffer = ""
    kind = "bind" if source and _is_file_path(source) else "volume"
    return ParsedVolume(kind, source, target, read_only, propagation, nocopy)


def parse_volume(spec: str, cwd: str) -> VolumeSpec:
    """One ``-v`` value -> VolumeSpec("bind", "/abs/host:/ctr:ro") or
    VolumeSpec("volume", "/ctr"). ``cwd`` resolves ``./`` and ``../`` hosts.

    Raises UsageError (docker checks ``-v`` in ``parse()``).
    """
    try:
        parsed = parse_volume_spec(spec)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not parsed.source:
        return VolumeSpec("volume", spec)
    if parsed.type == "bind":
        host, sep, rest = spec.partition(":")
        if sep and not host.startswith("/") and host.startswith("."):
            return VolumeSpec("bind", _go.abs_path(host, cwd) + ":" + rest)
    return VolumeSpec("bind", spec)


def split_volumes(specs: list[str], cwd: str) -> tuple[list[str], dict]:
    """All ``-v`` values -> (HostConfig.Binds, Config.Volumes).

    Repeated identical specs count once, as in docker (which iterates a set;
    its order is random, ours is first-seen). Binds is ``[]`` when there is
    none (docker sends null); Volumes is ``{}`` when there is none.
    """
    binds: list[str] = []
    volumes: dict[str, dict] = {}
    for spec in dict.fromkeys(specs):
        kind, value = parse_volume(spec, cwd)
        if kind == "bind":
            binds.append(value)
        else:
            volumes[value] = {}
    return binds, volumes


# ------------------------------------------------------------------ --tmpfs


def parse_tmpfs(spec: str) -> tuple[str, str]:
    """``--tmpfs /run:size=1m,mode=700`` -> ("/run", "size=1m,mode=700"); never fails."""
    path, _, options = spec.partition(":")
    return path, options


def tmpfs_map(specs: list[str]) -> dict[str, str]:
    """All ``--tmpfs`` values -> HostConfig.Tmpfs (a later path wins)."""
    return dict(parse_tmpfs(spec) for spec in specs)


# ------------------------------------------------------------------ --mount

MOUNT_TYPES = ("bind", "volume", "tmpfs", "npipe", "cluster", "image")
BIND_RECURSIVE = ("enabled", "disabled", "writable", "readonly")
NONRECURSIVE_WARNING = "bind-nonrecursive is deprecated, use bind-recursive=disabled instead"


def parse_mount(spec: str, cwd: str = ".", warnings: list[str] | None = None) -> dict:
    """``--mount`` value -> Engine Mount JSON, as docker's ``MountOpt.Set`` builds it.

    Keys are case-insensitive (as docker's are), ``type`` defaults to volume,
    a relative ``source`` starting with ``.`` is made absolute against ``cwd``.
    The dict has only the fields docker would send (``omitempty``): e.g.
    ``{"Type": "bind", "Source": "/a", "Target": "/b", "ReadOnly": True,
    "BindOptions": {"Propagation": "rshared"}}``. Warnings docker logs
    (deprecated ``bind-nonrecursive=BOOL``) are appended to ``warnings``.

    Raises ValueError with docker's words (a flag-parse-time error).
    """
    try:
        fields = _go.csv_first_record(spec)
    except _go.CSVError as exc:
        raise ValueError(str(exc)) from None

    mount: dict = {"Type": "volume"}
    read_only = False
    volume_opts: dict | None = None
    image_opts: dict | None = None
    bind_opts: dict | None = None
    tmpfs_opts: dict | None = None

    def volume() -> dict:
        nonlocal volume_opts
        if volume_opts is None:
            volume_opts = {"Labels": {}, "DriverConfig": {}}
        return volume_opts

    def image() -> dict:
        nonlocal image_opts
        if image_opts is None:
            image_opts = {}
        return image_opts

    def bind() -> dict:
        nonlocal bind_opts
        if bind_opts is None:
            bind_opts = {}
        return bind_opts

    def tmpfs() -> dict:
        nonlocal tmpfs_opts
        if tmpfs_opts is None:
            tmpfs_opts = {}
        return tmpfs_opts

    def set_pair(target: dict, text: str) -> None:
        key, _, value = text.partition("=")
        if key:
            target[key] = value

    def go_bool(key: str, value: str) -> bool:
        try:
            return parse_bool(value)
        except ValueError:
            raise ValueError(f"invalid value for {key}: {value}") from None

    for field in fields:
        key, has_value, value = field.partition("=")
        key = key.lower()
        if not has_value:
            if key in ("readonly", "ro"):
                read_only = True
            elif key == "volume-nocopy":
                volume()["NoCopy"] = True
            elif key == "bind-nonrecursive":
                bind()["NonRecursive"] = True
            else:
                raise ValueError(f"invalid field '{field}' must be a key=value pair")
            continue

        if key == "type":
            mount["Type"] = value.lower()
        elif key in ("source", "src"):
            if not value.startswith("/") and value.startswith("."):
                value = _go.abs_path(value, cwd)
            mount["Source"] = value
        elif key in ("target", "dst", "destination"):
            mount["Target"] = value
        elif key in ("readonly", "ro"):
            read_only = go_bool(key, value)
        elif key == "consistency":
            mount["Consistency"] = value.lower()
        elif key == "bind-propagation":
            bind()["Propagation"] = value.lower()
        elif key == "bind-nonrecursive":
            bind()["NonRecursive"] = go_bool(key, value)
            if warnings is not None:
                warnings.append(NONRECURSIVE_WARNING)
        elif key == "bind-recursive":
            if value == "enabled":
                pass
            elif value == "disabled":
                bind()["NonRecursive"] = True
            elif value == "writable":
                bind()["ReadOnlyNonRecursive"] = True
            elif value == "readonly":
                bind()["ReadOnlyForceRecursive"] = True
            else:
                raise ValueError(
                    f"invalid value for {key}: {value} "
                    '(must be "enabled", "disabled", "writable", or "readonly")'
                )
        elif key == "volume-subpath":
            volume()["Subpath"] = value
        elif key == "volume-nocopy":
            try:
                volume()["NoCopy"] = parse_bool(value)
            except ValueError:
                raise ValueError(f"invalid value for volume-nocopy: {value}") from None
        elif key == "volume-label":
            set_pair(volume()["Labels"], value)
        elif key == "volume-driver":
            volume()["DriverConfig"]["Name"] = value
        elif key == "volume-opt":
            set_pair(volume()["DriverConfig"].setdefault("Options", {}), value)
        elif key == "image-subpath":
            image()["Subpath"] = value
        elif key == "tmpfs-size":
            try:
                tmpfs()["SizeBytes"] = parse_ram_bytes(value)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {value}") from None
        elif key == "tmpfs-mode":
            try:
                tmpfs()["Mode"] = parse_uint(value, 32, 8)
            except ValueError:
                raise ValueError(f"invalid value for {key}: {value}") from None
        else:
            raise ValueError(f"unexpected key '{key}' in '{field}'")

    kind = mount["Type"]
    if kind == "":
        raise ValueError("type is required")
    if not mount.get("Target"):
        raise ValueError("target is required")
    for opts, prefix, wanted in (
        (volume_opts, "volume", "volume"),
        (image_opts, "image", "image"),
        (bind_opts, "bind", "bind"),
        (tmpfs_opts, "tmpfs", "tmpfs"),
    ):
        if opts is not None and kind != wanted:
            raise ValueError(f"cannot mix '{prefix}-*' options with mount type '{kind}'")
    if bind_opts is not None:
        if bind_opts.get("ReadOnlyNonRecursive") and not read_only:
            raise ValueError(
                "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction")
        if bind_opts.get("ReadOnlyForceRecursive"):
            if not read_only:
                raise ValueError(
                    "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction")
            if bind_opts.get("Propagation", "") != "rprivate":
                raise ValueError(
                    "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' "
                    "to be specified in conjunction")

    return _wire_mount(mount, read_only, bind_opts, volume_opts, image_opts, tmpfs_opts)


def _wire_mount(mount, read_only, bind_opts, volume_opts, image_opts, tmpfs_opts) -> dict:
    """The Mount as Go's JSON encoder writes it: empty fields left out,
    option objects present whenever docker created them."""
    out = {k: mount[k] for k in ("Type", "Source", "Target") if mount.get(k)}
    if read_only:
        out["ReadOnly"] = True
    if mount.get("Consistency"):
        out["Consistency"] = mount["Consistency"]
    if bind_opts is not None:
        out["BindOptions"] = {k: v for k, v in bind_opts.items() if v}
    if volume_opts is not None:
        vol = {}
        if volume_opts.get("NoCopy"):
            vol["NoCopy"] = True
        if volume_opts["Labels"]:
            vol["Labels"] = volume_opts["Labels"]
        if volume_opts.get("Subpath"):
            vol["Subpath"] = volume_opts["Subpath"]
        driver = {k: v for k, v in volume_opts["DriverConfig"].items() if v}
        vol["DriverConfig"] = driver
        out["VolumeOptions"] = vol
    if image_opts is not None:
        out["ImageOptions"] = {k: v for k, v in image_opts.items() if v}
    if tmpfs_opts is not None:
        out["TmpfsOptions"] = {k: v for k, v in tmpfs_opts.items() if v}
    return out


def check_mounts_for_api(mounts: list[dict], api_version: str) -> None:
    """The docker client's API-version checks on mounts before create.

    Below API 1.44 ``bind-recursive=readonly`` is refused; below 1.40
    ``bind-recursive=disabled`` too (``ReadOnlyNonRecursive`` is sent as is).
    Raises UsageError, which docker prints as ``docker: MSG`` (status 125).
    """
    if version_tuple(api_version) >= (1, 44):
        return
    for mount in mounts:
        bind_opts = mount.get("BindOptions")
        if bind_opts is None:
            continue
        if bind_opts.get("ReadOnlyForceRecursive"):
            raise UsageError("bind-recursive=readonly requires API v1.44 or later")
        if bind_opts.get("NonRecursive") and version_tuple(api_version) < (1, 40):
            raise UsageError("bind-recursive=disabled requires API v1.40 or later")
