"""Go's ``json.Indent`` and ``json.Compact`` over the engine's raw JSON.

Pure. ``docker inspect`` prints the engine's bytes re-indented (four spaces)
or compacted, never re-encoded: key order, number literals and the engine's
own string escapes (``\\u003c`` for ``<``) are kept exactly.
"""

from __future__ import annotations


def _tokens(text: str):
    """Yield the significant pieces of JSON text: strings whole, other
    characters one by one, whitespace outside strings dropped."""
    i, size = 0, len(text)
    while i < size:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < size and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            yield text[i:j + 1]
            i = j + 1
        elif ch in " \t\r\n":
            i += 1
        else:
            yield ch
            i += 1


def indent(text: str, unit: str = "    ") -> str:
    """json.Indent(dst, src, "", unit): an empty object or array stays ``{}``/``[]``."""
    out: list[str] = []
    depth = 0
    opened = False  # just after { or [: the newline waits to see whether it closes at once

    def newline():
        out.append("\n" + unit * depth)

    for token in _tokens(text):
        if opened and token not in ("}", "]"):
            opened = False
            depth += 1
            newline()
        if token in ("{", "["):
            opened = True
            out.append(token)
        elif token == ",":
            out.append(token)
            newline()
        elif token == ":":
            out.append(": ")
        elif token in ("}", "]"):
            if opened:
                opened = False
            else:
                depth -= 1
                newline()
            out.append(token)
        else:
            out.append(token)
    return "".join(out)


def compact(text: str) -> str:
    """json.Compact: whitespace outside strings removed."""
    return "".join(_tokens(text))
