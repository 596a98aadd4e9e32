"""The companion commands' flag tables through docker's parser, and the other pure helpers."""

import pytest
from IPython.core.interactiveshell import DollarFormatter

from runmagic.grammar import parser as cli
from runmagic.grammar import command_flags as tables
from runmagic.ipython.expansion import protect_templates
from runmagic.grammar.reference import (
    ReferenceError,
    familiar_string,
    parse_normalized_named,
)
from runmagic.formatting.timestamps import TimestampError, get_timestamp
from runmagic.errors import FlagError, UsageError


def parse(command, line):
    return cli.parse_args(cli.split_line(line), command)


def test_flags_and_arguments_mix_as_cobra_allows():
    parsed = parse(tables.STOP, "web -t 3 db")
    assert parsed.args == ["web", "db"] and parsed.get("timeout") == 3


def test_exec_stops_at_the_command():
    parsed = parse(tables.EXEC, "-it -e A=1 web sh -c 'echo -n hi'")
    assert parsed.args == ["web", "sh", "-c", "echo -n hi"]
    assert parsed.get("interactive") and parsed.get("tty") and parsed.get("env") == ["A=1"]


@pytest.mark.parametrize("command, line, message", [
    (tables.LOGS, "", "'docker logs' requires 1 argument"),
    (tables.LOGS, "a b", "'docker logs' requires 1 argument"),
    (tables.PS, "x", "'docker ps' accepts no arguments"),
    (tables.EXEC, "web", "'docker exec' requires at least 2 arguments"),
    (tables.PORT, "a b c", "'docker port' requires at least 1 and at most 2 arguments"),
    (tables.VOLUME_CREATE, "a b", "'docker volume create' requires at most 1 argument"),
    (tables.NETWORK_CONNECT, "net", "'docker network connect' requires 2 arguments"),
])
def test_argument_counts_in_dockers_words(command, line, message):
    with pytest.raises(UsageError) as info:
        parse(command, line)
    assert info.value.message == message and info.value.exit_status == 1
    assert str(info.value) == "docker: " + message


@pytest.mark.parametrize("command, line, message", [
    (tables.PS, "--bogus", "unknown flag: --bogus"),
    (tables.PS, "-n x", 'invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax'),
    (tables.PS, "-f foo", 'invalid argument "foo" for "-f, --filter" flag: bad format of filter (expected name=value)'),
    (tables.VOLUME_CREATE, "--label 'a b=1'", "invalid argument \"a b=1\" for \"--label\" flag: label 'a b' contains whitespaces"),
])
def test_flag_errors_are_125(command, line, message):
    with pytest.raises(FlagError) as info:
        parse(command, line)
    assert str(info.value) == message and info.value.exit_status == 125


def test_filters_lower_case_their_names_and_keep_repeats():
    parsed = parse(tables.PS, "-f Name=web -f label=a=b -f label=c --filter=")
    assert tables.filter_args(parsed) == {"name": ["web"], "label": ["a=b", "c"]}


def test_string_slices_split_as_csv():
    parsed = parse(tables.NETWORK_CONNECT, "--alias a,b --alias '\"c,d\"' net web")
    assert parsed.get("alias") == [["a", "b"], ["c,d"]]


def test_groups_find_subcommands_and_aliases():
    assert tables.subcommand(tables.VOLUME, "list") is tables.VOLUME_LS
    with pytest.raises(UsageError) as info:
        tables.subcommand(tables.NETWORK, "frob")
    assert str(info.value) == "docker: unknown command: docker network frob"
    assert "  create   Create a volume" in tables.group_usage(tables.VOLUME)


def test_help_is_built_from_the_table():
    text = cli.usage_text(tables.PS)
    assert text.startswith("Usage:  docker ps [OPTIONS]\n\nList containers")
    assert "-n, --last int" in text and "(default -1)" in text and "--help" not in text
    assert parse(tables.PS, "--help").help


def test_flags_newer_than_the_engine_are_refused():
    parsed = parse(tables.VOLUME_PRUNE, "--all")
    with pytest.raises(UsageError) as info:
        tables.check_api_version(parsed, "1.41")
    assert info.value.message == ('"--all" requires API version 1.42, but the Docker daemon API '
                                  "version is 1.41")
    tables.check_api_version(parsed, "1.43")


@pytest.mark.parametrize("text, name, tag, familiar", [
    ("busybox", "docker.io/library/busybox", "", "busybox"),
    ("busybox:1.36", "docker.io/library/busybox", "1.36", "busybox:1.36"),
    ("me/app:v1", "docker.io/me/app", "v1", "me/app:v1"),
    ("127.0.0.1:5000/t/img:v1", "127.0.0.1:5000/t/img", "v1", "127.0.0.1:5000/t/img:v1"),
    ("localhost/x", "localhost/x", "", "localhost/x"),
])
def test_references_normalise_as_docker(text, name, tag, familiar):
    ref = parse_normalized_named(text)
    assert (ref.name, ref.tag) == (name, tag)
    assert familiar_string(ref.name, ref.tag) == familiar


@pytest.mark.parametrize("text, message", [
    ("Foo", "invalid reference format: repository name (library/Foo) must be lowercase"),
    ("a b", "invalid reference format"),
    ("x:", "invalid reference format"),
])
def test_bad_references_in_dockers_words(text, message):
    with pytest.raises(ReferenceError) as info:
        parse_normalized_named(text)
    assert str(info.value) == message


@pytest.mark.parametrize("value, expected", [
    ("10m", "1000"),
    ("1600", "1600"),
    ("1600.5", "1600.5"),
    ("2020-01-01T00:00:00Z", "1577836800.000000000"),
    ("2020-01-01T00:00:00.5Z", "1577836800.500000000"),
    ("2020-01-01", None),  # local midnight: depends on the zone
    ("2020-01-01T00:00:00+01:00", "1577833200.000000000"),
])
def test_since_and_until_values(value, expected):
    result = get_timestamp(value, 1600.0)
    if expected is not None:
        assert result == expected
    else:
        assert result.endswith(".000000000")


def test_bad_timestamps():
    with pytest.raises(TimestampError) as info:
        get_timestamp("tomorrow", 0)
    assert str(info.value) == 'failed to parse value as time or duration: "tomorrow"'
    with pytest.raises(TimestampError):
        get_timestamp("2020-13-45", 0)


@pytest.mark.parametrize("line, expanded", [
    ("--format '{{.ID}}' {name}", "--format '{{.ID}}' web"),
    ("-f '{{range $k, $v := .Labels}}{{$k}}{{end}}' $name", "-f '{{range $k, $v := .Labels}}{{$k}}{{end}}' web"),
    ("--format '{{json .}}'", "--format '{{json .}}'"),
    ("{{.ID", "{{.ID"),
])
def test_templates_survive_ipythons_expansion(line, expanded):
    namespace = {"name": "web", "k": "NOT-THIS", "v": "NOR-THIS"}
    assert DollarFormatter().vformat(protect_templates(line), args=[], kwargs=namespace) == expanded
