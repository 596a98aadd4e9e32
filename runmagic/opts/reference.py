"""Image references, as docker's ``reference.ParseAnyReference`` reads them.

docker checks the image argument when it creates the container (after
``parse()``): ``docker: invalid reference format`` and its variants, status
125. A 64-hex ID or a ``sha256:...`` digest is a reference without a name (no
pull is tried for it); anything else is normalised (``busybox`` is
``docker.io/library/busybox``) and, in docker's messages, shown in its
familiar form with the default tag (``busybox:latest``).
"""

from __future__ import annotations

import re

_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = _DOMAIN_COMPONENT + r"(?:\." + _DOMAIN_COMPONENT + r")*"
_HOST = r"(?:" + _DOMAIN_NAME + r"|\[(?:[a-fA-F0-9:]+)\])"
_DOMAIN_AND_PORT = _HOST + r"(?::[0-9]+)?"
_TAG = r"[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
_PATH_COMPONENT = _ALPHANUMERIC + r"(?:" + _SEPARATOR + _ALPHANUMERIC + r")*"
_REMOTE_NAME = _PATH_COMPONENT + r"(?:/" + _PATH_COMPONENT + r")*"
_NAME = r"(?:" + _DOMAIN_AND_PORT + r"/)?" + _REMOTE_NAME

_REFERENCE = re.compile(r"(" + _NAME + r")(?::(" + _TAG + r"))?(?:@(" + _DIGEST + r"))?")
_ANCHORED_NAME = re.compile(r"(?:(" + _DOMAIN_AND_PORT + r")/)?(" + _REMOTE_NAME + r")")
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
_DIGEST_ANCHORED = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")
_ALGORITHMS = {"sha256": 64, "sha384": 96, "sha512": 128}

NAME_TOTAL_LENGTH_MAX = 255


def _check_digest(text: str) -> None:
    """go-digest's ``Parse``/``Validate``; raises ValueError in its words."""
    algorithm, sep, encoded = text.partition(":")
    if not algorithm or not sep or not encoded:
        raise ValueError("invalid checksum digest format")
    if algorithm not in _ALGORITHMS:
        if not _DIGEST_ANCHORED.fullmatch(text):
            raise ValueError("invalid checksum digest format")
        raise ValueError("unsupported digest algorithm")
    if len(encoded) != _ALGORITHMS[algorithm]:
        raise ValueError("invalid checksum digest length")
    if not re.fullmatch(r"[a-f0-9]+", encoded):
        raise ValueError("invalid checksum digest format")


def _split_docker_domain(name: str) -> tuple[str, str]:
    """``splitDockerDomain``: Docker Hub unless the first component looks like a host."""
    first, sep, rest = name.partition("/")
    if not sep:
        return "docker.io", "library/" + name
    if first == "localhost":
        domain, remainder = first, rest
    elif first == "index.docker.io":
        domain, remainder = "docker.io", rest
    elif any(c in first for c in ".:") or first.lower() != first:
        domain, remainder = first, rest
    else:
        domain, remainder = "docker.io", name
    if domain == "docker.io" and "/" not in remainder:
        remainder = "library/" + remainder
    return domain, remainder


def _familiar(domain: str, path: str) -> str:
    if domain == "docker.io":
        return path[len("library/"):] if path.startswith("library/") and path.count("/") == 1 else path
    return f"{domain}/{path}"


def parse_any_reference(text: str) -> str | None:
    """``reference.ParseAnyReference``: the familiar name with its tag (or
    digest) for a named reference, None for an ID or a bare digest.
    Raises ValueError with docker's words."""
    if _IDENTIFIER.fullmatch(text):
        return None
    try:
        _check_digest(text)
        return None
    except ValueError:
        pass
    domain, remainder = _split_docker_domain(text)
    remote = remainder.partition(":")[0]
    if remote.lower() != remote:
        raise ValueError(
            f"invalid reference format: repository name ({remote}) must be lowercase")
    full = domain + "/" + remainder
    match = _REFERENCE.fullmatch(full)
    if match is None:
        if full == "":
            raise ValueError("repository name must have at least one component")
        if _REFERENCE.fullmatch(full.lower()):
            raise ValueError("repository name must be lowercase")
        raise ValueError("invalid reference format")
    name, tag, digest = match.groups()
    name_match = _ANCHORED_NAME.fullmatch(name)
    path_domain, path = (name_match.group(1) or "", name_match.group(2)) if name_match else ("", name)
    if len(path) > NAME_TOTAL_LENGTH_MAX:
        raise ValueError(f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters")
    if digest:
        _check_digest(digest)
    familiar = _familiar(path_domain, path)
    if digest:
        return f"{familiar}:{tag}@{digest}" if tag else f"{familiar}@{digest}"
    return f"{familiar}:{tag or 'latest'}"
