"""Image references as docker parses and prints them (distribution/reference).

Pure. ``busybox`` is ``docker.io/library/busybox``: a first path component
with a dot or a colon, an upper-case letter, or named ``localhost`` is a
registry; the ``familiar`` forms drop ``docker.io/`` and ``library/`` again.
``docker run`` checks its image argument when it creates the container
(``docker: invalid reference format`` and its variants, status 125); a 64-hex
ID or a ``sha256:...`` digest is a reference without a name there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
LEGACY_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"
NAME_TOTAL_LENGTH_MAX = 255

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[(?:[a-fA-F0-9:]+)\])"
_DOMAIN_AND_PORT = _HOST + r"(?::[0-9]+)?"
_TAG = r"[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
_PATH_COMPONENT = rf"{_ALPHANUMERIC}(?:{_SEPARATOR}{_ALPHANUMERIC})*"
_REMOTE_NAME = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"

_REFERENCE = re.compile(rf"((?:{_DOMAIN_AND_PORT}/)?{_REMOTE_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?")
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
_DIGEST_ANCHORED = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_ALGORITHMS = {"sha256": 64, "sha384": 96, "sha512": 128}


class ReferenceError(ValueError):
    """docker's words for a reference it cannot parse."""


@dataclass(frozen=True)
class Reference:
    name: str  # fully qualified: docker.io/library/busybox
    tag: str = ""
    digest: str = ""

    def __str__(self) -> str:
        text = self.name
        if self.tag:
            text += ":" + self.tag
        if self.digest:
            text += "@" + self.digest
        return text

    @property
    def name_only(self) -> bool:
        return not self.tag and not self.digest


def _check_digest(text: str) -> None:
    """go-digest's ``Parse``/``Validate``; raises ReferenceError in its words."""
    algorithm, sep, encoded = text.partition(":")
    if not algorithm or not sep or not encoded:
        raise ReferenceError("invalid checksum digest format")
    if algorithm not in _ALGORITHMS:
        if not _DIGEST_ANCHORED.fullmatch(text):
            raise ReferenceError("invalid checksum digest format")
        raise ReferenceError("unsupported digest algorithm")
    if len(encoded) != _ALGORITHMS[algorithm]:
        raise ReferenceError("invalid checksum digest length")
    if not re.fullmatch(r"[a-f0-9]+", encoded):
        raise ReferenceError("invalid checksum digest format")


def _split_domain(name: str) -> tuple[str, str]:
    """``splitDockerDomain``: Docker Hub unless the first component looks like a host."""
    first, sep, rest = name.partition("/")
    if sep and (any(c in first for c in ".:") or first == "localhost" or first.lower() != first):
        domain, remainder = first, rest
    else:
        domain, remainder = DEFAULT_DOMAIN, name
    if domain == LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_PREFIX + remainder
    return domain, remainder


def parse_normalized_named(text: str) -> Reference:
    """``reference.ParseNormalizedNamed``; raises ReferenceError in docker's words."""
    if _IDENTIFIER.fullmatch(text):
        raise ReferenceError(f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_domain(text)
    path = remainder.partition(":")[0].partition("@")[0]
    if path.lower() != path:
        raise ReferenceError(f"invalid reference format: repository name ({path}) must be lowercase")
    full = f"{domain}/{remainder}"
    match = _REFERENCE.fullmatch(full)
    if match is None:
        if _REFERENCE.fullmatch(full.lower()):
            raise ReferenceError("repository name must be lowercase")
        raise ReferenceError("invalid reference format")
    name, tag, digest = match.group(1), match.group(2) or "", match.group(3) or ""
    if len(name) - len(domain) - 1 > NAME_TOTAL_LENGTH_MAX:
        raise ReferenceError(f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")
    if digest:
        _check_digest(digest)
    return Reference(name, tag, digest)


def familiar_name(name: str) -> str:
    """``docker.io/library/busybox`` -> ``busybox``; other registries unchanged."""
    if name.startswith(DEFAULT_DOMAIN + "/"):
        rest = name[len(DEFAULT_DOMAIN) + 1:]
        if rest.startswith(OFFICIAL_PREFIX) and rest.count("/") == 1:
            rest = rest[len(OFFICIAL_PREFIX):]
        return rest
    return name


def familiar_string(name: str, tag: str = "", digest: str = "") -> str:
    text = familiar_name(name)
    if tag:
        text += ":" + tag
    if digest:
        text += "@" + digest
    return text


def parse_any_reference(text: str) -> str | None:
    """``reference.ParseAnyReference`` as ``docker run`` prints it: the familiar
    name with its tag (``latest`` by default) or digest, None for an ID or a
    bare digest. Raises ReferenceError in docker's words."""
    if _IDENTIFIER.fullmatch(text):
        return None
    try:
        _check_digest(text)
        return None
    except ReferenceError:
        pass
    reference = parse_normalized_named(text)
    if reference.digest:
        return familiar_string(reference.name, reference.tag, reference.digest)
    return familiar_string(reference.name, reference.tag or "latest")


def pull_arguments(image: str) -> tuple[str, str]:
    """What a pull asks the engine for: the repository and the tag (or digest),
    ``latest`` when the reference names neither."""
    reference = parse_normalized_named(image)
    return familiar_name(reference.name), reference.digest or reference.tag or "latest"
