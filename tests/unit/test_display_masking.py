"""Which names look secret, and how their values are hidden wherever they recur."""

import pytest

from runmagic.display.masking import MASK, Redactor, looks_secret, mask_args, mask_env, secret_arg_values


@pytest.mark.parametrize("name", [
    "PASSWORD", "MYSQL_ROOT_PASSWORD", "dbPassword", "DB_PASS", "DB_PWD", "PGPASSWD", "GPG_PASSPHRASE",
    "GITHUB_TOKEN", "HF_TOKEN", "access_token", "AWS_SECRET_ACCESS_KEY", "SECRETKEY", "API_KEY", "apiKey",
    "APIKEY", "GOOGLE_APPLICATION_CREDENTIALS", "DOCKER_AUTH", "REGISTRY_CREDS", "key", "SESSION_COOKIE",
])
def test_secret_names(name):
    assert looks_secret(name)


@pytest.mark.parametrize("name", [
    "PWD", "OLDPWD", "PATH", "HOME", "KEYBOARD_LAYOUT", "COMPASS_HEADING", "PASSENGER_COUNT", "AUTHOR",
    "TOKENIZERS_PARALLELISM", "MONKEY", "GREETING", "KEYCLOAK_URL", "",
])
def test_ordinary_names(name):
    assert not looks_secret(name)


def test_env_values_of_secret_names_are_masked_and_recurring_secrets_hidden():
    env = [("DB_PASSWORD", "hunter22"), ("DSN", "postgres://app:hunter22@db/app"), ("GREETING", "hi"),
           ("EMPTY_TOKEN", "")]
    redact = Redactor(["hunter22"])
    assert mask_env(env, redact) == [
        ("DB_PASSWORD", MASK), ("DSN", f"postgres://app:{MASK}@db/app"), ("GREETING", "hi"), ("EMPTY_TOKEN", "")]


def test_passwords_in_urls_are_hidden_even_when_not_otherwise_known():
    assert Redactor()("see https://user:s3cr3t@example.org/x and http://host/") == \
        f"see https://user:{MASK}@example.org/x and http://host/"


def test_short_values_are_not_hunted_elsewhere():
    # Masking every "1" in a command line would hide nothing and garble everything.
    assert Redactor(["1", "abc"])("seq 1 10 abc") == "seq 1 10 abc"


def test_longest_secret_is_hidden_whole():
    assert Redactor(["abcd", "abcdefgh"])("xabcdefghx") == f"x{MASK}x"


def test_secret_values_in_a_command_line():
    args = ["app", "--password=pw1234", "--token", "tok5678", "API_KEY=k9k9k9", "--verbose", "PLAIN=x", "-p", "80"]
    assert secret_arg_values(args) == ["pw1234", "tok5678", "k9k9k9"]
    assert mask_args(args, Redactor(["hunter22"])) == [
        "app", f"--password={MASK}", "--token", MASK, f"API_KEY={MASK}", "--verbose", "PLAIN=x", "-p", "80"]


def test_command_arguments_lose_secrets_they_contain():
    assert mask_args(["sh", "-c", "curl -u me:hunter22 http://x"], Redactor(["hunter22"])) == \
        ["sh", "-c", f"curl -u me:{MASK} http://x"]
