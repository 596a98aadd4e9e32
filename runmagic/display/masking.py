"""What the panels hide: values of secret-looking names, and wherever those values recur.

Pure. Masking happens when a container's state is built (model.py), before
anything reaches a widget, so neither the live view, the saved widget state
nor the text summary can hold a secret.
"""

import re

#: Shown instead of a secret; fixed width, so it doesn't tell the secret's length.
MASK = "••••••"

# Words that make a name secret wherever they appear in one of its parts
# ("MYSQL_ROOT_PASSWORD", "dbPassword", "SECRETKEY").
_SECRET_WORDS = ("PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "CREDENTIAL", "APIKEY",
                 "PRIVATEKEY", "ACCESSKEY", "AUTHTOKEN", "ACCESSTOKEN")
# Short words that only count as a whole part: KEY in "GPG_KEY" but not in "KEYBOARD",
# PASS in "DB_PASS" but not in "COMPASS", TOKEN in "GH_TOKEN" but not in "TOKENIZERS".
_SECRET_PARTS = frozenset({"PASS", "PWD", "KEY", "KEYS", "TOKEN", "TOKENS", "AUTH", "CREDS",
                           "SALT", "COOKIE"})
# The shell's working directories: PWD is a part rule, but these are not secrets.
_NOT_SECRET = frozenset({"PWD", "OLDPWD"})

_NAME_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_ASSIGNMENT = re.compile(r"^(-{0,2})([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$", re.DOTALL)
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:)([^@\s/]+)(@)")
# Values shorter than this are not hunted for in other text: masking every "1" would
# garble everything and hide nothing.
_MIN_RECURRING_SECRET = 4


def looks_secret(name: str) -> bool:
    """Whether an environment variable, label or option of this name holds a secret."""
    if name.upper() in _NOT_SECRET:
        return False
    for part in _NAME_PARTS.findall(name):
        part = part.upper()
        if part in _SECRET_PARTS or any(word in part for word in _SECRET_WORDS):
            return True
    return False


class Redactor:
    """Hides known secret values, and passwords in URLs, in any text shown."""

    def __init__(self, secrets=()):
        # Longest first, so a secret that contains another is hidden whole.
        self.secrets = tuple(sorted({s for s in secrets if len(s) >= _MIN_RECURRING_SECRET},
                                    key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)


def secret_env_values(env: list[tuple[str, str]]) -> list[str]:
    return [value for name, value in env if value and looks_secret(name)]


def secret_arg_values(args) -> list[str]:
    """Values given to secret-looking options or assignments in a command line:
    ``--password=x``, ``--token x``, ``API_KEY=x``."""
    found = []
    expects_value = False
    for arg in args:
        if expects_value:
            found.append(arg)
            expects_value = False
            continue
        assignment = _ASSIGNMENT.match(arg)
        if assignment:
            if looks_secret(assignment.group(2)) and assignment.group(3):
                found.append(assignment.group(3))
        elif arg.startswith("--") and looks_secret(arg[2:]):
            expects_value = True
    return found


def mask_args(args, redact: Redactor) -> list[str]:
    """A command line as shown: the values of secret-looking options and assignments
    masked, any other argument with the secrets it contains hidden."""
    shown = []
    expects_value = False
    for arg in args:
        assignment = _ASSIGNMENT.match(arg)
        if expects_value:
            shown.append(MASK)
            expects_value = False
        elif assignment and looks_secret(assignment.group(2)) and assignment.group(3):
            shown.append(f"{assignment.group(1)}{assignment.group(2)}={MASK}")
        else:
            expects_value = arg.startswith("--") and not assignment and looks_secret(arg[2:])
            shown.append(redact(arg))
    return shown


def mask_env(env: list[tuple[str, str]], redact: Redactor) -> list[tuple[str, str]]:
    """Secret-looking names keep their name and lose their value; other values lose any
    secret they contain."""
    return [(name, MASK if value and looks_secret(name) else redact(value)) for name, value in env]
