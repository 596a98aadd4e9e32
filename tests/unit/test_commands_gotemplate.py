"""runmagic.commands.gotemplate: Go's text/template subset, with Go's output and words."""

import pytest

from runmagic.golang import template as gt
from runmagic.golang import values as gv
from runmagic.formatting import schemas

CONTAINER = {
    "Id": "abc123",
    "Name": "/web",
    "State": {"Status": "running", "Running": True, "Pid": 42, "ExitCode": 0, "Health": None},
    "Config": {"Env": ["A=1", "B=<2>"], "Cmd": ["sleep", "30"], "Labels": {"x": "1", "a": "2"},
               "ExposedPorts": None, "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1500000000}},
    "HostConfig": {"Binds": None, "ConsoleSize": [0, 0], "RestartPolicy": {"Name": "no",
                   "MaximumRetryCount": 0}, "MemorySwappiness": None, "CpuShares": 0},
    "NetworkSettings": {"Networks": {"none": {"NetworkID": "n1", "Aliases": None}}},
}


def typed():
    return gv.Value(schemas.struct(schemas.CONTAINER), CONTAINER)


def run(source, dot=None, **options):
    return gt.parse(source).execute(typed() if dot is None else dot, **options)


@pytest.mark.parametrize("source, expected", [
    ("{{.Name}}", "/web"),
    ("{{.ID}}", "abc123"),  # Go's field name, whose JSON key is "Id"
    ("{{.State.Status}}", "running"),
    ("{{.State.Pid}}", "42"),
    ("{{.Config.Env}}", "[A=1 B=<2>]"),
    ("{{json .Config.Env}}", '["A=1","B=<2>"]'),  # the json function leaves HTML alone
    ("{{.Config.Labels}}", "map[a:2 x:1]"),
    ("{{.Config.ExposedPorts}}", "map[]"),  # a nil map
    ("{{.HostConfig.Binds}}", "[]"),  # a nil slice
    ("{{.State.Health}}", "<nil>"),  # a nil pointer
    ("{{.HostConfig.MemorySwappiness}}", "<nil>"),
    ("{{.HostConfig.ConsoleSize}}", "[0 0]"),
    ("{{.HostConfig.RestartPolicy}}", "{no 0}"),
    ("{{.Config.Healthcheck}}", "{[CMD true] 1.5s 0s 0s 0s 0}"),
    ("{{.Config.Labels.x}}", "1"),
    ("{{.Config.Labels.nope}}", "<no value>"),
    ("{{index .Config.Labels \"a\"}}", "2"),
    ("{{index .Config.Env 1}}", "B=<2>"),
    ("{{len .Config.Env}}", "2"),
    ("{{range .Config.Env}}[{{.}}]{{end}}", "[A=1][B=<2>]"),
    ("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a=2;x=1;"),
    ("{{range $i, $e := .Config.Env}}{{$i}}:{{$e}} {{end}}", "0:A=1 1:B=<2> "),
    ("{{range .HostConfig.Binds}}x{{else}}none{{end}}", "none"),
    ("{{if .State.Running}}up{{else}}down{{end}}", "up"),
    ("{{if not .State.Running}}down{{else if .State.Pid}}pid{{else}}?{{end}}", "pid"),
    ("{{with .State}}{{.Status}}/{{.Pid}}{{end}}", "running/42"),
    ("{{with .State.Health}}h{{else}}no health{{end}}", "no health"),
    ("{{if eq .State.Status \"exited\" \"running\"}}yes{{end}}", "yes"),
    ("{{if and .State.Running (gt .State.Pid 1)}}ok{{end}}", "ok"),
    ("{{.Name | upper}}", "/WEB"),
    ("{{upper .Name | lower}}", "/web"),
    ("{{printf \"%s:%d\" .Name .State.Pid}}", "/web:42"),
    ("{{printf \"%-6s|\" .State.Status}}", "running|"),
    ("{{printf \"%q\" .Name}}", '"/web"'),
    ("{{join .Config.Cmd \" \"}}", "sleep 30"),
    ("{{split \"a,b\" \",\"}}", "[a b]"),
    ("{{title \"hello world\"}}", "Hello World"),
    ("{{pad .Name 1 2}}|", " /web  |"),
    ("{{truncate .ID 3}}", "abc"),
    ("{{$x := .Name}}{{$x}}{{$x = \"y\"}}{{$x}}", "/weby"),
    ("{{$.Name}}", "/web"),
    ("  {{- .Name -}}  !", "/web!"),
    ("{{/* a comment */}}x", "x"),
    ("{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{$e.NetworkID}}{{end}}", "none n1"),
    ("{{print 1 2 \"a\" \"b\"}}", "1 2ab"),
])
def test_typed_execution_matches_go(source, expected):
    assert run(source) == expected


def test_json_of_a_struct_follows_go_field_order_and_omitempty():
    health = run("{{json .Config.Healthcheck}}")
    assert health == '{"Test":["CMD","true"],"Interval":1500000000}'
    assert run("{{json .State}}").startswith('{"Status":"running","Running":true,"Paused":false,')
    assert '"Health"' not in run("{{json .State}}")  # omitempty nil pointer


@pytest.mark.parametrize("source, message", [
    ("{{.ID", "template: :1: unclosed action"),
    ("{{range .X}}", "template: :1: unexpected EOF"),
    ("{{end}}", "template: :1: unexpected {{end}}"),
    ("{{else}}", "template: :1: unexpected {{else}}"),
    ("{{foo .}}", 'template: :1: function "foo" not defined'),
])
def test_parse_errors_have_gos_words(source, message):
    with pytest.raises(gt.TemplateError) as info:
        gt.parse(source)
    assert str(info.value) == message


@pytest.mark.parametrize("source", [
    '{{define "x"}}y{{end}}', '{{template "x"}}', '{{block "x" .}}y{{end}}',
    "{{range .X}}{{break}}{{end}}", "{{html .Name}}", "{{call .Name}}",
])
def test_outside_the_subset_is_refused_when_parsed(source):
    with pytest.raises(gt.Unsupported):
        gt.parse(source)


def test_exec_errors_carry_position_and_gos_words():
    with pytest.raises(gt.ExecError) as info:
        run("{{.Foo}}")
    assert str(info.value) == ('template: :1:2: executing "" at <.Foo>: can\'t evaluate field Foo '
                               "in type container.InspectResponse")
    with pytest.raises(gt.ExecError) as info:
        run("{{.State.Foo}}")
    assert str(info.value).startswith('template: :1:8: executing "" at <.State.Foo>: ')


def test_raw_fallback_misses_keys_as_go_does():
    dot = gv.raw(CONTAINER)
    assert gt.parse("{{.HostConfig.CpuShares}}").execute(dot, missing_key_error=True) == "0"
    with pytest.raises(gt.ExecError) as info:
        gt.parse("{{.Nope.Deeper}}").execute(dot, missing_key_error=True)
    assert str(info.value) == ('template: :1:7: executing "" at <.Nope.Deeper>: '
                               'map has no entry for key "Nope"')
    # Raw objects print and marshal as Go's maps: sorted keys.
    assert gt.parse("{{.HostConfig.RestartPolicy}}").execute(dot) == "map[MaximumRetryCount:0 Name:no]"
    assert gt.parse("{{json .State}}").execute(dot).startswith('{"ExitCode":0,"Health":null,')


def test_a_pointer_nested_in_a_printed_value_is_refused_not_faked():
    # Go prints map[none:0xc000...]: an address runmagic cannot reproduce.
    with pytest.raises(gv.Unreproducible):
        run("{{.NetworkSettings.Networks}}")
    assert run("{{json .NetworkSettings.Networks}}").startswith('{"none":{"IPAMConfig":null,')


def test_unmodelled_objects_print_only_what_any_go_type_prints_alike():
    image = gv.Value(gv.UNTYPED, {"Id": "sha256:1", "RepoTags": ["a:1", "b:2"], "Size": 5,
                                  "Config": {"Env": ["X=1"]}})
    assert gt.parse("{{.Id}} {{.RepoTags}} {{.Size}}").execute(image) == "sha256:1 [a:1 b:2] 5"
    assert gt.parse("{{json .RepoTags}}").execute(image) == '["a:1","b:2"]'
    with pytest.raises(gv.Unreproducible):
        gt.parse("{{.Config}}").execute(image)


def test_context_methods_with_arguments():
    context = gv.GoType("context", "*test.Context", methods={
        "Name": (lambda data: gv.Value(gv.STRING, data["name"]), 0),
        "Label": (lambda data, key: gv.Value(gv.STRING, data["labels"].get(key, "")), 1),
    })
    dot = gv.Value(context, {"name": "n", "labels": {"k": "v"}})
    assert gt.parse('{{.Name}} {{.Label "k"}} {{"k" | .Label}}').execute(dot) == "n v v"
    assert gt.parse("{{json .}}").execute(dot) == '{"Name":"n"}'
    with pytest.raises(gt.ExecError) as info:
        gt.parse("{{.Nope}}").execute(dot)
    assert "can't evaluate field Nope in type *test.Context" in str(info.value)


def test_headers_keep_column_names_through_docker_functions():
    header = gv.Value(gv.GoType("header", "formatter.SubHeaderContext", methods={
        "Label": (lambda headers, name: gv.Value(gv.STRING, name.split(".")[-1]), 1)}),
        {"Names": "NAMES"})
    template = gt.parse('{{.Names | upper}}\t{{json .Names}}\t{{.Label "com.example.role"}}')
    assert template.execute(header, header=True) == "NAMES\tNAMES\trole"
