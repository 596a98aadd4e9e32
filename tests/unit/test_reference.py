"""Image references as docker's ParseAnyReference reads them (cases checked against docker 28.2)."""

import pytest

from runmagic.grammar.reference import parse_any_reference

HEX64 = "0123456789abcdef" * 4


@pytest.mark.parametrize("image, familiar", [
    ("busybox", "busybox:latest"),
    ("busybox:1.36", "busybox:1.36"),
    ("docker.io/library/busybox", "busybox:latest"),
    ("index.docker.io/library/busybox:latest", "busybox:latest"),
    ("Foo/bar", "Foo/bar:latest"),  # an upper-case first part is a registry host
    ("localhost:5000/x/y", "localhost:5000/x/y:latest"),
    ("sha256:0123", "sha256:0123"),  # name "sha256", tag "0123"
    (f"busybox@sha256:{HEX64}", f"busybox@sha256:{HEX64}"),
    (HEX64, None),  # an image ID: no name, nothing to pull
    (f"sha256:{HEX64}", None),
])
def test_accepted(image, familiar):
    assert parse_any_reference(image) == familiar


@pytest.mark.parametrize("image, message", [
    ("UPPER", "invalid reference format: repository name (library/UPPER) must be lowercase"),
    ("a/B", "invalid reference format: repository name (a/B) must be lowercase"),
    ("localhost:5000/X", "invalid reference format: repository name (X) must be lowercase"),
    ("busybox:Bad^", "invalid reference format"),
    (":tag", "invalid reference format"),
    ("a//b", "invalid reference format"),
    ("busybox@sha256:abc", "invalid reference format"),
    ("busybox@md5:0123456789abcdef0123456789abcdef", "unsupported digest algorithm"),
    (f"busybox@sha512:{HEX64}", "invalid checksum digest length"),
    ("a" * 300, "repository name must not be more than 255 characters"),
])
def test_refused(image, message):
    with pytest.raises(ValueError) as info:
        parse_any_reference(image)
    assert str(info.value) == message
