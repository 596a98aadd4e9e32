"""The build context runmagic sends: what .dockerignore keeps, links and modes, the limit."""

import os
import tarfile

import pytest

from runmagic.build_context import ContextError, Excludes, make_context, read_dockerignore


def members(context):
    with tarfile.open(fileobj=context.file, mode="r:") as archive:
        return {m.name: m for m in archive.getmembers()}


@pytest.mark.parametrize("patterns, path, excluded", [
    (["*.log"], "a.log", True),
    (["*.log"], "sub/a.log", False),
    (["**/*.log"], "sub/deep/a.log", True),
    (["**/*.log"], "a.log", True),
    (["build"], "build/x/y", True),
    (["build", "!build/keep"], "build/keep", False),
    (["build", "!build/keep"], "build/other", True),
    (["*", "!src"], "src/main.py", False),
    (["a?c"], "abc", True),
    (["a?c"], "a/c", False),
    (["[ab]x"], "bx", True),
    (["!x"], "x", False),
    (["docs/**"], "docs/a/b", True),
])
def test_patterns(patterns, path, excluded):
    assert Excludes(patterns).matches(path) is excluded


def test_dockerignore_lines():
    text = "\ufeff# comment\n  /abs/path  \n\n! keep \nsub/../x\n #not comment\n"
    assert read_dockerignore(text) == ["abs/path", "!keep", "x", "#not comment"]


def test_context_keeps_links_modes_and_ignores(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "run.sh").write_text("echo hi\n")
    os.chmod(tmp_path / "src" / "run.sh", 0o751)
    (tmp_path / "src" / "link").symlink_to("run.sh")
    os.link(tmp_path / "src" / "run.sh", tmp_path / "src" / "hard")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "out.o").write_text("x")
    (tmp_path / "build" / "keep.txt").write_text("k")
    (tmp_path / "secret.log").write_text("s")
    (tmp_path / ".dockerignore").write_text("*.log\nbuild\n!build/keep.txt\n.dockerignore\n")
    context = make_context(str(tmp_path), dockerfile_text="FROM busybox\n")
    found = members(context)
    assert "secret.log" not in found and "build/out.o" not in found
    assert "build/keep.txt" in found
    assert found["src/hard"].mode == 0o751 and found["src/hard"].uid == 0
    assert found["src/link"].issym() and found["src/link"].linkname == "run.sh"
    # walked in lexical order: the first name of an inode is the file, later ones link to it
    assert found["src/run.sh"].islnk() and found["src/run.sh"].linkname == "src/hard"
    assert context.dockerfile.startswith(".dockerfile.") and context.dockerfile in found
    context.file.seek(0)
    with tarfile.open(fileobj=context.file, mode="r:") as archive:
        ignore = archive.extractfile(".dockerignore").read().decode()
        body = archive.extractfile(context.dockerfile).read().decode()
    assert ignore.endswith(f"\n{context.dockerfile}\n") and body == "FROM busybox\n"


def test_dockerfile_inside_context_is_sent_even_if_ignored(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / ".dockerignore").write_text("Dockerfile\n")
    context = make_context(str(tmp_path))
    assert context.dockerfile == "Dockerfile" and "Dockerfile" in members(context)


def test_limit_refuses_before_sending(tmp_path):
    (tmp_path / "big").write_bytes(b"x" * 5000)
    with pytest.raises(ContextError, match="over runmagic's limit of 4kB"):
        make_context(str(tmp_path), dockerfile_text="FROM busybox\n", limit=4000)
    (tmp_path / ".dockerignore").write_text("big\n")
    assert "big" not in members(make_context(str(tmp_path), dockerfile_text="FROM x\n", limit=4000))


def test_missing_context(tmp_path):
    with pytest.raises(ContextError, match='path ".*nope" not found'):
        make_context(str(tmp_path / "nope"), dockerfile_text="FROM x\n")
