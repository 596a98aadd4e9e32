"""Pure formatting: Go values, docker's listing contexts and layout, inspect JSON, pull progress."""

import pytest

from runmagic.formatting import listing as fmt
from runmagic.golang import jsonindent as gojson
from runmagic.formatting import progress
from runmagic.golang import values as gv
from runmagic.golang.tabwriter import html_table, tabwrite


@pytest.mark.parametrize("value, printed, marshalled", [
    (1e6, "1e+06", "1000000"),
    (123456.0, "123456", "123456"),
    (0.5, "0.5", "0.5"),
    (1e-7, "1e-07", "1e-7"),
    (1e21, "1e+21", "1e+21"),
    (100.0, "100", "100"),
])
def test_floats_print_and_marshal_as_go(value, printed, marshalled):
    assert gv.go_float(value) == printed
    assert gv.json_float(value) == marshalled


@pytest.mark.parametrize("nanos, text", [
    (0, "0s"), (1500, "1.5µs"), (2_000_000, "2ms"), (1_500_000_000, "1.5s"),
    (90 * 10**9, "1m30s"), (3600 * 10**9, "1h0m0s"), (-2 * 10**9, "-2s"),
])
def test_durations_print_as_go(nanos, text):
    assert gv.duration_string(nanos) == text


def test_times_print_as_gos_time_string():
    value = gv.Value(gv.TIME, "2026-11-28T07:12:00.963008678Z")
    assert gv.format_value(value) == "2026-11-28 07:12:00.963008678 +0000 UTC"
    assert gv.format_value(gv.Value(gv.TIME, "2026-01-02T03:04:05+01:00")) == \
        "2026-01-02 03:04:05 +0100 +0100"


def test_json_strings_escape_as_go():
    assert gv.json_string("<a&b>\u2028\x01\n", escape_html=True) == '"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\n"'
    assert gv.json_string("<a>", escape_html=False) == '"<a>"'


@pytest.mark.parametrize("ports, text", [
    ([], ""),
    ([{"PrivatePort": 80, "Type": "tcp"}], "80/tcp"),
    ([{"PrivatePort": p, "Type": "tcp"} for p in (90, 91, 92)], "90-92/tcp"),
    ([{"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
      {"PrivatePort": 90, "Type": "tcp"}], "90/tcp, 127.0.0.1:8080->80/tcp"),
    ([{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 80, "Type": "tcp"},
      {"IP": "0.0.0.0", "PrivatePort": 81, "PublicPort": 81, "Type": "tcp"}],
     "0.0.0.0:80-81->80-81/tcp"),
    ([{"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}], "[::]:8080->80/tcp"),
])
def test_ports_display_as_docker_ps(ports, text):
    assert fmt.displayable_ports(ports) == text


@pytest.mark.parametrize("seconds, text", [
    (0.5, "Less than a second"), (1, "1 second"), (59, "59 seconds"), (60, "About a minute"),
    (150, "2 minutes"), (3600, "About an hour"), (7200, "2 hours"), (3 * 86400, "3 days"),
    (20 * 86400, "2 weeks"), (70 * 86400, "2 months"), (800 * 86400, "2 years"),
])
def test_human_durations(seconds, text):
    assert fmt.human_duration(seconds) == text


@pytest.mark.parametrize("size, precision, text", [
    (0, 3, "0B"), (1990000, 3, "1.99MB"), (999, 4, "999B"), (1000, 4, "1kB"), (123456789, 4, "123.5MB"),
])
def test_human_sizes(size, precision, text):
    assert fmt.human_size(size, precision) == text


def test_ellipsis_counts_columns():
    assert fmt.ellipsis("sh -c 'i=0; while true'", 20) == "sh -c 'i=0; while t…"
    assert fmt.ellipsis("short", 20) == "short"
    assert fmt.ellipsis("日本語のテキスト", 7) == "日本語…"


def test_tabwriter_aligns_like_dockers():
    text = "CONTAINER ID\tIMAGE\tNAMES\nabc\tbusybox:latest\tweb\n"
    assert tabwrite(text) == "CONTAINER ID   IMAGE            NAMES\nabc            busybox:latest   web\n"
    # Minimum width 10; the text after the last tab is never padded; a line
    # without a tab ends a block of aligned lines.
    assert tabwrite("A\tB\nlong cell here\tx\nno tab\nc\td\n") == (
        "A                B\nlong cell here   x\nno tab\nc         d\n")


def test_html_twin_escapes_cells():
    assert html_table(["A"], [["<b>"]]).count("&lt;b&gt;") == 1


def container_rows(*summaries, trunc=True):
    return [gv.Value(fmt.CONTAINER_CONTEXT, fmt.ContainerRow(s, trunc=trunc, now=1000))
            for s in summaries]


SUMMARY = {"Id": "0123456789abcdef0123", "Names": ["/web", "/other/alias"], "Image": "busybox",
           "ImageID": "sha256:ffff", "Command": "sleep 1000000000000000000", "Created": 990,
           "Ports": [], "Labels": {"b": "2", "a": "1"}, "State": "running", "Status": "Up 10 seconds",
           "Mounts": [{"Name": "", "Source": "/a/very/long/host/path", "Driver": ""},
                      {"Name": "vol", "Driver": "local"}],
           "NetworkSettings": {"Networks": {"none": {}}}, "SizeRw": 0, "SizeRootFs": 1990000}


def test_default_ps_table():
    rendered = fmt.render(fmt.container_format("", quiet=False, size=False), container_rows(SUMMARY),
                          fmt.CONTAINER_HEADERS)
    assert rendered.text.splitlines() == [
        "CONTAINER ID   IMAGE     COMMAND                  CREATED          STATUS          PORTS     NAMES",
        '0123456789ab   busybox   "sleep 1000000000000…"   10 seconds ago   Up 10 seconds             web',
    ]
    assert rendered.header[0] == "CONTAINER ID" and rendered.rows[0][-1] == "web"
    assert "<table" in rendered.html()


def test_ps_context_fields():
    rendered = fmt.render(
        "{{.Labels}}|{{.Label \"a\"}}|{{.Mounts}}|{{.LocalVolumes}}|{{.Networks}}|{{.Size}}|{{.Platform}}",
        container_rows(SUMMARY), fmt.CONTAINER_HEADERS)
    assert rendered.text == "a=1,b=2|1|/a/very/long/h…,vol|1|none|0B (virtual 1.99MB)|<nil>\n"
    assert rendered.html() is None
    untruncated = fmt.render("{{.ID}} {{.Names}}", container_rows(SUMMARY, trunc=False), {})
    assert untruncated.text == "0123456789abcdef0123 web,other/alias\n"


def test_ps_json_is_a_sorted_map_of_the_context():
    rendered = fmt.render("json", container_rows(SUMMARY), fmt.CONTAINER_HEADERS)
    assert rendered.text.startswith('{"Command":"\\"sleep 1000000000000…\\"","CreatedAt":')
    assert '"Platform":null' in rendered.text


def test_raw_and_quiet_formats():
    assert fmt.container_format("", quiet=True, size=False) == "{{.ID}}"
    assert fmt.container_format("{{.Names}}", quiet=True, size=False) == "{{.ID}}"
    assert fmt.volume_format("{{.Name}}x", quiet=True) == "{{.Name}}x"
    assert fmt.render(fmt.volume_format("raw", quiet=False),
                      [gv.Value(fmt.VOLUME_CONTEXT, fmt.Row({"Name": "v", "Driver": "local"}))],
                      fmt.VOLUME_HEADERS).text == "name: v\ndriver: local\n\n"


def test_format_errors_are_dockers_sentences():
    with pytest.raises(fmt.FormatError) as info:
        fmt.render("{{.Nope}}", container_rows(SUMMARY), fmt.CONTAINER_HEADERS)
    assert str(info.value).startswith("template parsing error: template: :1:2: executing")


def test_natural_sort_compares_numbers():
    names = ["v10", "v9", "a", "v1"]
    assert sorted(names, key=fmt.natural_less_key) == ["a", "v1", "v9", "v10"]


def test_go_json_indent_and_compact_keep_the_engines_bytes():
    raw = '[{"A": "\\u003cx\\u003e", "B": [], "C": {}, "D": [1, {"E": null}]}]'
    assert gojson.indent(raw) == (
        '[\n    {\n        "A": "\\u003cx\\u003e",\n        "B": [],\n        "C": {},\n'
        '        "D": [\n            1,\n            {\n                "E": null\n            }\n'
        '        ]\n    }\n]')
    assert gojson.compact(raw) == '[{"A":"\\u003cx\\u003e","B":[],"C":{},"D":[1,{"E":null}]}]'


def test_pull_progress_transcript_leaves_bars_out():
    state = progress.PullProgress()
    for message in (
        {"status": "Pulling from t/img", "id": "v1"},
        {"status": "Already exists", "progressDetail": {}, "id": "aaa"},
        {"status": "Pulling fs layer", "progressDetail": {}, "id": "bbb"},
        {"status": "Downloading", "progressDetail": {"current": 500, "total": 1000}, "id": "bbb"},
    ):
        state.feed(message)
    assert "bbb: Downloading [=========================>" in state.text()
    assert state.overall() == "0/1 layers complete, 500B/1kB downloaded (50%)"
    for message in (
        {"status": "Download complete", "progressDetail": {}, "id": "bbb"},
        {"status": "Pull complete", "progressDetail": {}, "id": "bbb"},
        {"status": "Digest: sha256:1"},
        {"status": "Status: Downloaded newer image for x"},
    ):
        state.feed(message)
    assert state.transcript() == (
        "v1: Pulling from t/img\naaa: Already exists\nbbb: Pulling fs layer\nbbb: Download complete\n"
        "bbb: Pull complete\nDigest: sha256:1\nStatus: Downloaded newer image for x\n")
    assert state.overall() == "1/1 layers complete, 1kB/1kB downloaded (100%)"
    assert "<progress" in state.html()
    state.feed({"errorDetail": {"message": "boom"}, "error": "boom"})
    assert state.error == "boom"
