"""``%docker_cp`` beside ``docker cp`` on the same engine, both directions.

Each case runs in two fresh folders (one for runmagic, one for the CLI) and, for copies
into a container, against two identical containers: the exit status, stderr (folder
names aside), and what was written (names, kinds, modes, sizes, contents, link targets,
modification times; owners in the container) must agree.
"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import tarfile

import pytest

from runmagic.commands import copy
from runmagic.grammar import command_flags as tables
from tests.support.oracle import DOCKER, runmagic_run
from tests.test_images_oracle import engine  # noqa: F401  (a fixture)

SETUP = ("mkdir -p /src/dir/sub /dst && echo hello > /src/file && chmod 640 /src/file "
         "&& head -c 3000 /dev/zero > /src/dir/zero && echo deep > /src/dir/sub/deep "
         "&& ln -s file /src/link && ln -s dir /src/dirlink && chown 123:45 /src/dir/zero "
         "&& touch -d @1700000000 /src/file /src/dir/zero")


@pytest.fixture
def containers(docker_client, labels):
    made = []

    def make() -> str:
        container = docker_client.containers.create(
            "busybox:latest", ["sh", "-c", SETUP + " && sleep 600"], labels=labels,
            network_disabled=True, init=True)
        made.append(container)
        container.start()
        for _ in range(100):
            if container.exec_run(["test", "-L", "/src/dirlink"]).exit_code == 0:
                break
        return container.name

    yield make
    for container in made:
        container.remove(force=True, v=True)


def local_tree(root) -> list:
    out = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                out.append((rel, "link", os.readlink(path)))
            elif os.path.isdir(path):
                out.append((rel, "dir", oct(st.st_mode & 0o7777)))
            else:
                with open(path, "rb") as handle:
                    out.append((rel, "file", oct(st.st_mode & 0o7777), int(st.st_mtime),
                                handle.read()))
    return out


def container_tree(docker_client, name: str, path: str = "/dst") -> list:
    stream, _ = docker_client.api.get_archive(name, path)
    data = b"".join(stream)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        # /dst itself changes when the copy lands in it: its time is the copy's
        return sorted((m.name, m.type, oct(m.mode), m.uid, m.gid, m.size, m.linkname,
                       None if m.name == "dst" else m.mtime) for m in archive.getmembers())


def both(engine, tmp_path, line_for, setup_local=None):  # noqa: F811
    """Run ``line_for(tool_folder)`` through runmagic (from its folder) and the CLI."""
    results = []
    for tool in ("runmagic", "cli"):
        folder = tmp_path / tool
        folder.mkdir()
        if setup_local:
            setup_local(folder)
        line = line_for(folder)
        if tool == "cli":
            done = subprocess.run([DOCKER, "cp", *shlex.split(line)], capture_output=True, text=True,
                                  cwd=folder)
            # The CLI's archiving goroutine logs its closed pipe when the copy is refused.
            stderr = "".join(line for line in done.stderr.splitlines(keepends=True)
                             if not line.startswith('time="'))
            outcome = (done.returncode, done.stdout, stderr)
        else:
            cwd = os.getcwd()
            os.chdir(folder)
            try:
                outcome = runmagic_run(engine, tables.CP, line, copy.cp)
            finally:
                os.chdir(cwd)
        status, stdout, stderr = outcome
        results.append((status, stdout, stderr.replace(str(folder), "FOLDER")))
    return results


@pytest.mark.parametrize("src, dest", [
    ("/src/file", "out"),            # a file to a new name
    ("/src/file", "."),              # into an existing folder
    ("/src/file", "existing"),       # over an existing file
    ("/src/dir", "out"),             # a folder to a new name
    ("/src/dir", "."),               # a folder into a folder
    ("/src/dir/.", "out"),           # a folder's contents
    ("/src/link", "out"),            # the link itself
    ("/src/dir", "existing"),        # a folder over a file: refused
    ("/src/file", "missing/"),       # a file into a folder that is not there: refused
    ("/src/nope", "out"),            # no such path in the container
    ("/src/file", "no/such/out"),    # no such local folder
])
@pytest.mark.parametrize("flags", ["", "-L"])
def test_copy_out_of_a_container(engine, containers, tmp_path, src, dest, flags):  # noqa: F811
    name = containers()

    def seed(folder):
        (folder / "existing").write_text("old\n")
        os.utime(folder / "existing", (1_600_000_000, 1_600_000_000))

    got, expected = both(engine, tmp_path, lambda folder: f"{flags} {name}:{src} {dest}", seed)
    assert got == expected
    assert local_tree(tmp_path / "runmagic") == local_tree(tmp_path / "cli")


def seed_local(folder):
    (folder / "file").write_text("local\n")
    os.chmod(folder / "file", 0o600)
    (folder / "tree" / "inner").mkdir(parents=True)
    (folder / "tree" / "inner" / "x").write_bytes(b"x" * 1500)
    os.symlink("file", folder / "link")
    os.utime(folder / "link", (1_700_000_000, 1_700_000_000), follow_symlinks=False)
    for path in (folder / "file", folder / "tree" / "inner" / "x", folder / "tree" / "inner",
                 folder / "tree"):
        os.utime(path, (1_700_000_000, 1_700_000_000))


@pytest.mark.parametrize("src, dest", [
    ("file", "/dst/new"),
    ("file", "/dst"),
    ("tree", "/dst/copied"),
    ("tree/.", "/dst"),
    ("link", "/dst/l"),
    ("tree", "/src/file"),         # a folder over a file: refused
    ("file", "/dst/missing/"),     # refused
    ("nope", "/dst/x"),            # no such local path
])
@pytest.mark.parametrize("flags", ["", "-a", "-L"])
def test_copy_into_a_container(docker_client, engine, containers, tmp_path, src, dest, flags):  # noqa: F811
    names = {}

    def line_for(folder):
        names[folder.name] = containers()
        return f"{flags} {src} {names[folder.name]}:{dest}"

    got, expected = both(engine, tmp_path, line_for, seed_local)
    assert (got[0], got[1], got[2].replace(names["runmagic"], "C")) == \
        (expected[0], expected[1], expected[2].replace(names["cli"], "C"))
    assert container_tree(docker_client, names["runmagic"]) == container_tree(docker_client, names["cli"])


def test_argument_errors(engine):  # noqa: F811
    for line in ("a b", "c1:/x c2:/y", "'' c:/x", "c:/x -"):
        status, _, stderr = runmagic_run(engine, tables.CP, line, copy.cp)
        done = subprocess.run([DOCKER, "cp", *shlex.split(line)], capture_output=True, text=True)
        if line == "c:/x -":  # docker writes a tar to stdout; a cell cannot take one
            assert status == 1 and "cannot stream a tar archive" in stderr
            continue
        assert (status, stderr) == (done.returncode, done.stderr.split("\n\nUsage:")[0].rstrip() + "\n")
