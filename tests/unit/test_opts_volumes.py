"""-v, --tmpfs and --mount, checked against what docker 28.2 sends and says."""

import pytest
from hypothesis import given, strategies as st

from runmagic.errors import UsageError
from runmagic.grammar.options.volumes import (
    NONRECURSIVE_WARNING, VolumeSpec, check_mounts_for_api, parse_mount, parse_tmpfs,
    parse_volume, split_volumes, tmpfs_map,
)

CWD = "/tmp"


@pytest.mark.parametrize("spec, expected", [
    ("/data", ("volume", "/data")),
    ("ab", ("volume", "ab")),
    # A one-letter source is a Windows drive letter: the whole spec is a target.
    ("a:/b", ("volume", "a:/b")),
    ("n:/n", ("volume", "n:/n")),
    ("é:/x", ("volume", "é:/x")),
    (":", ("volume", ":")),
    ("x", ("volume", "x")),
    ("/a/./b/", ("volume", "/a/./b/")),
    ("./x:/y", ("bind", "/tmp/x:/y")),
    ("../a/../b:/c:ro", ("bind", "/b:/c:ro")),
    (".:/w", ("bind", "/tmp:/w")),
    ("./:/x", ("bind", "/tmp:/x")),
    (".foo:/x", ("bind", "/tmp/.foo:/x")),
    ("~/x:/y", ("bind", "~/x:/y")),
    ("named:/ctr", ("bind", "named:/ctr")),
    ("named:/ctr:ro,z", ("bind", "named:/ctr:ro,z")),
    ("/h:/c:Z,nocopy,rshared", ("bind", "/h:/c:Z,nocopy,rshared")),
    # Modes are not the client's business: the engine judges them.
    ("/h:/c:bogus", ("bind", "/h:/c:bogus")),
    ("/data:ro", ("bind", "/data:ro")),
    ("c:\\foo:/x", ("bind", "c:\\foo:/x")),
])
def test_volume_buckets(spec, expected):
    assert parse_volume(spec, CWD) == VolumeSpec(*expected)


@pytest.mark.parametrize("spec, message", [
    # As printed by docker 28.2 after "docker: ".
    ("/data:", "invalid spec: /data:: empty section between colons"),
    ("", "invalid empty volume spec"),
    ("/a:/b:ro:x", "invalid spec: /a:/b:ro:x: too many colons"),
    ("/a::/b", "invalid spec: /a::/b: empty section between colons"),
])
def test_volume_errors(spec, message):
    with pytest.raises(UsageError) as info:
        parse_volume(spec, CWD)
    assert type(info.value) is UsageError and info.value.message == message


def test_split_volumes_deduplicates():
    binds, volumes = split_volumes(["/a:/b", "/a:/b", "/x", "/x", "n:/n"], CWD)
    assert binds == ["/a:/b"]
    assert volumes == {"/x": {}, "n:/n": {}}
    assert split_volumes([], CWD) == ([], {})


def test_tmpfs():
    assert parse_tmpfs("/run") == ("/run", "")
    assert parse_tmpfs("/b:size=1m,mode=700") == ("/b", "size=1m,mode=700")
    assert tmpfs_map(["/a", "/b:size=1m,mode=700", "/a:ro", "", ":x"]) == {
        "": "x", "/a": "ro", "/b": "size=1m,mode=700"}


@pytest.mark.parametrize("spec, expected", [
    ("target=/x", {"Type": "volume", "Target": "/x"}),
    ("type=bind,src=./a,dst=/b,ro,bind-propagation=RSHARED,consistency=Cached",
     {"Type": "bind", "Source": "/tmp/a", "Target": "/b", "ReadOnly": True,
      "Consistency": "cached", "BindOptions": {"Propagation": "rshared"}}),
    ("type=volume,source=v,target=/t,volume-nocopy,volume-label=a=b,volume-label=c,"
     "volume-label==d,volume-driver=local,volume-opt=o=1,volume-opt=type=nfs,volume-subpath=sub",
     {"Type": "volume", "Source": "v", "Target": "/t",
      "VolumeOptions": {"NoCopy": True, "Labels": {"a": "b", "c": ""}, "Subpath": "sub",
                        "DriverConfig": {"Name": "local", "Options": {"o": "1", "type": "nfs"}}}}),
    ("type=tmpfs,target=/t,tmpfs-size=1.5m,tmpfs-mode=1777",
     {"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1572864, "Mode": 1023}}),
    ("type=bind,src=/a,target=/b,bind-recursive=writable,readonly=true",
     {"Type": "bind", "Source": "/a", "Target": "/b", "ReadOnly": True,
      "BindOptions": {"ReadOnlyNonRecursive": True}}),
    ("type=bind,src=/a,target=/b,bind-nonrecursive",
     {"Type": "bind", "Source": "/a", "Target": "/b", "BindOptions": {"NonRecursive": True}}),
    ("TYPE=BIND,Target=/x", {"Type": "bind", "Target": "/x"}),
    ("type=image,source=img,target=/i,image-subpath=/p",
     {"Type": "image", "Source": "img", "Target": "/i", "ImageOptions": {"Subpath": "/p"}}),
    ("type=npipe,source=x,target=/y", {"Type": "npipe", "Source": "x", "Target": "/y"}),
    ("type=volume,target=/v,volume-nocopy=false",
     {"Type": "volume", "Target": "/v", "VolumeOptions": {"DriverConfig": {}}}),
    ("READONLY,target=/x", {"Type": "volume", "Target": "/x", "ReadOnly": True}),
    ("target=/x,Volume-Label=a",
     {"Type": "volume", "Target": "/x", "VolumeOptions": {"Labels": {"a": ""}, "DriverConfig": {}}}),
    ('"target=/a,b",type=bind', {"Type": "bind", "Target": "/a,b"}),
    # Only the first CSV record counts.
    ("type=tmpfs,target=/x\nzz\"z", {"Type": "tmpfs", "Target": "/x"}),
])
def test_mount_values(spec, expected):
    assert parse_mount(spec, CWD) == expected


def test_mount_nonrecursive_warning():
    warnings = []
    parse_mount("type=bind,target=/x,bind-nonrecursive=true", CWD, warnings)
    assert warnings == [NONRECURSIVE_WARNING]


@pytest.mark.parametrize("spec, message", [
    # What docker 28.2 prints after 'invalid argument "SPEC" for "--mount" flag: '.
    ("type=,target=/x", "type is required"),
    ("type=bind", "target is required"),
    ("foo", "invalid field 'foo' must be a key=value pair"),
    ("ro=maybe,target=/x", "invalid value for ro: maybe"),
    ("bind-nonrecursive=x", "invalid value for bind-nonrecursive: x"),
    ("bind-recursive=x",
     'invalid value for bind-recursive: x (must be "enabled", "disabled", "writable", or "readonly")'),
    ("volume-nocopy=x", "invalid value for volume-nocopy: x"),
    ("tmpfs-size=x", "invalid value for tmpfs-size: x"),
    ("tmpfs-mode=9", "invalid value for tmpfs-mode: 9"),
    ("tmpfs-mode=777777777777,type=tmpfs,target=/x", "invalid value for tmpfs-mode: 777777777777"),
    ("bogus=1", "unexpected key 'bogus' in 'bogus=1'"),
    ("type=bind,target=/x,volume-nocopy", "cannot mix 'volume-*' options with mount type 'bind'"),
    ("type=volume,target=/x,bind-propagation=shared",
     "cannot mix 'bind-*' options with mount type 'volume'"),
    ("type=bind,target=/x,tmpfs-size=1", "cannot mix 'tmpfs-*' options with mount type 'bind'"),
    ("type=tmpfs,target=/x,image-subpath=a", "cannot mix 'image-*' options with mount type 'tmpfs'"),
    ("type=bind,target=/x,bind-recursive=writable",
     "option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction"),
    ("type=bind,target=/x,bind-recursive=readonly",
     "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction"),
    ("type=bind,target=/x,bind-recursive=readonly,ro",
     "option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction"),
    (",target=/x", "invalid field '' must be a key=value pair"),
    ("target=/x,", "invalid field '' must be a key=value pair"),
    ("", "EOF"),
    ("\n", "EOF"),
    ('type=b"ind', 'parse error on line 1, column 7: bare " in non-quoted-field'),
    ('"type=bind"x', 'parse error on line 1, column 11: extraneous or missing " in quoted-field'),
    ('type=bind,"target', 'parse error on line 1, column 18: extraneous or missing " in quoted-field'),
    ('"a\nb"x', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'),
    ('"a\nb', 'record on line 1; parse error on line 2, column 2: extraneous or missing " in quoted-field'),
    ('é"', 'parse error on line 1, column 3: bare " in non-quoted-field'),
    ('"é"x', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'),
    ('"abc\r', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'),
])
def test_mount_errors(spec, message):
    with pytest.raises(ValueError) as info:
        parse_mount(spec, CWD)
    assert str(info.value) == message


def test_mount_api_checks():
    readonly = parse_mount("type=bind,src=/a,target=/b,bind-recursive=readonly,ro,bind-propagation=rprivate")
    with pytest.raises(UsageError) as info:
        check_mounts_for_api([readonly], "1.41")
    # docker 28.2 against API 1.41 prints "docker: bind-recursive=readonly requires API v1.44 or later".
    assert info.value.message == "bind-recursive=readonly requires API v1.44 or later"
    check_mounts_for_api([readonly], "1.44")
    writable = parse_mount("type=bind,src=/a,target=/b,bind-recursive=writable,ro")
    check_mounts_for_api([writable], "1.41")
    assert writable["BindOptions"] == {"ReadOnlyNonRecursive": True}


@given(st.text(max_size=40))
def test_volume_never_raises_anything_else(spec):
    try:
        parse_volume(spec, CWD)
    except UsageError:
        pass


@given(st.text(alphabet=st.sampled_from(list('=,"\n\r abtype-ro/ivolumensrcagdtmpfsz')), max_size=40))
def test_mount_never_raises_anything_else(spec):
    try:
        parse_mount(spec, CWD)
    except ValueError:
        pass
