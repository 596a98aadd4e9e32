"""Where the panels' event stream starts when it (re)connects: no event may be missed."""

from runmagic.engine.watcher import Subscription, engine_nanos, since_for_connect


def subscription(container_id, since):
    return Subscription(watcher=None, container_id=container_id, handler=None, since=since)


def test_engine_times_to_nanoseconds():
    assert engine_nanos("2026-11-28T07:00:01.866791791Z") == 1795849201866791791
    assert engine_nanos("2026-11-28T07:00:01Z") == 1795849201000000000
    assert engine_nanos("2026-11-28T07:00:01.5Z") == 1795849201500000000


def test_first_connection_starts_at_the_earliest_creation():
    assert since_for_connect(None, [subscription("a", 50), subscription("b", 20)], set()) == 20
    assert since_for_connect(None, [subscription("a", None)], set()) is None


def test_reconnection_resumes_at_the_last_event_seen():
    assert since_for_connect(100, [subscription("a", 20)], {"a"}) == 100


def test_a_container_the_last_stream_missed_brings_its_own_start():
    assert since_for_connect(100, [subscription("a", 20), subscription("b", 90)], {"a"}) == 90
    assert since_for_connect(100, [subscription("a", 20), subscription("b", 120)], {"a"}) == 100


def test_podman_events_read_in_dockers_words():
    from runmagic.engine.watcher import docker_event

    died = {"Action": "died", "status": "died", "Actor": {"ID": "c1", "Attributes": {"containerExitCode": "1"}}}
    assert docker_event(died) == {"Action": "die", "status": "die",
                                  "Actor": {"ID": "c1", "Attributes": {"containerExitCode": "1", "exitCode": "1"}}}
    docker_die = {"Action": "die", "Actor": {"ID": "c1", "Attributes": {"exitCode": "3"}}}
    assert docker_event(docker_die) == docker_die


def test_podman_states_read_in_dockers_words():
    from runmagic.engine.watcher import docker_inspect

    stopped = {"Id": "c1", "State": {"Status": "stopped", "ExitCode": 1}}
    assert docker_inspect(stopped) == {"Id": "c1", "State": {"Status": "exited", "ExitCode": 1}}
    assert docker_inspect({"State": {"Status": "stopping"}})["State"]["Status"] == "running"
    restarting = {"Id": "c1", "State": {"Status": "restarting", "ExitCode": 1}}
    assert docker_inspect(restarting) is restarting
