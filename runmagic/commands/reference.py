"""Image references as docker parses and prints them (distribution/reference).

Pure. ``busybox`` is ``docker.io/library/busybox``; a first path component
with a dot, a colon or named ``localhost`` is a registry; ``familiar`` forms
drop ``docker.io/`` and ``library/`` again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
LEGACY_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_REFERENCE = re.compile(
    rf"^((?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)(?::({_TAG}))?(?:@({_DIGEST}))?$")
_HEX64 = re.compile(r"^[a-f0-9]{64}$")

NAME_TOTAL_LENGTH_MAX = 255


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


def _split_domain(name: str) -> tuple[str, str]:
    slash = name.find("/")
    first = name[:slash]
    if slash == -1 or (not any(c in first for c in ".:") and first != "localhost" and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, name[slash + 1:]
    if domain == LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_PREFIX + remainder
    return domain, remainder


def parse_normalized_named(text: str) -> Reference:
    """reference.ParseNormalizedNamed; raises ReferenceError in docker's words."""
    if _HEX64.match(text):
        raise ReferenceError(f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings")
    domain, remainder = _split_domain(text)
    tag_start = remainder.find(":")
    path = remainder if tag_start < 0 else remainder[:tag_start]
    at = path.find("@")
    path = path if at < 0 else path[:at]
    if path.lower() != path:
        raise ReferenceError(f"invalid reference format: repository name ({path}) must be lowercase")
    match = _REFERENCE.match(f"{domain}/{remainder}")
    if not match:
        raise ReferenceError("invalid reference format")
    name, tag, digest = match.group(1), match.group(2) or "", match.group(3) or ""
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        raise ReferenceError(f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")
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
