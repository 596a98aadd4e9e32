"""Go's ``encoding/json.Compact``: check JSON syntax and drop insignificant
whitespace, leaving every other byte as it was. Errors carry the text of
Go's scanner (``invalid character 'b' looking for beginning of object key
string``, ``unexpected end of JSON input``).
"""

from __future__ import annotations

from runmagic.golang.strconv import go_quote_rune

_SPACE = b" \t\r\n"
_DIGITS = b"0123456789"
_HEX = b"0123456789abcdefABCDEF"


def _quote_char(c: int) -> str:
    """encoding/json's ``quoteChar``: a byte shown as a quoted rune."""
    return go_quote_rune(chr(c))


class _SyntaxError(ValueError):
    pass


def _fail(c: int, context: str) -> _SyntaxError:
    return _SyntaxError(f"invalid character {_quote_char(c)} {context}")


def compact(data: bytes) -> bytes:
    """Go's ``json.Compact`` (no HTML escaping). Raises ValueError."""
    out = bytearray()
    stack: list[str] = []  # "key", "value" (in an object), "array"
    state = "begin_value"
    literal = b""  # the rest of true/false/null still expected
    literal_name = ""
    hex_left = 0

    def end_value(c: int) -> str:
        """Go's stateEndValue: what follows a complete value."""
        if not stack:
            if c in _SPACE:
                return "end_top"
            raise _fail(c, "after top-level value")
        if c in _SPACE:
            return "end_value"
        top = stack[-1]
        if top == "key":
            if c == ord(":"):
                stack[-1] = "value"
                out.append(c)
                return "begin_value"
            raise _fail(c, "after object key")
        if top == "value":
            if c == ord(","):
                stack[-1] = "key"
                out.append(c)
                return "begin_string"
            if c == ord("}"):
                stack.pop()
                out.append(c)
                return "end_value"
            raise _fail(c, "after object key:value pair")
        if c == ord(","):
            out.append(c)
            return "begin_value"
        if c == ord("]"):
            stack.pop()
            out.append(c)
            return "end_value"
        raise _fail(c, "after array element")

    def begin_value(c: int) -> str:
        nonlocal literal, literal_name
        if c in _SPACE:
            return "begin_value"
        out.append(c)
        if c == ord("{"):
            stack.append("key")
            return "begin_string_or_empty"
        if c == ord("["):
            stack.append("array")
            return "begin_value_or_empty"
        if c == ord('"'):
            return "in_string"
        if c == ord("-"):
            return "neg"
        if c == ord("0"):
            return "zero"
        if c in b"123456789":
            return "int"
        for word in (b"true", b"false", b"null"):
            if c == word[0]:
                literal, literal_name = word[1:], word.decode()
                return "literal"
        out.pop()
        raise _fail(c, "looking for beginning of value")

    for c in data:
        if state == "begin_value":
            state = begin_value(c)
        elif state == "begin_value_or_empty":
            if c in _SPACE:
                continue
            if c == ord("]"):
                state = end_value(c)
            else:
                state = begin_value(c)
        elif state in ("begin_string_or_empty", "begin_string"):
            if c in _SPACE:
                continue
            if c == ord("}") and state == "begin_string_or_empty":
                stack[-1] = "value"
                state = end_value(c)
            elif c == ord('"'):
                out.append(c)
                state = "in_string"
            else:
                raise _fail(c, "looking for beginning of object key string")
        elif state == "in_string":
            out.append(c)
            if c == ord('"'):
                state = "end_value"
            elif c == ord("\\"):
                state = "escape"
            elif c < 0x20:
                raise _fail(c, "in string literal")
        elif state == "escape":
            out.append(c)
            if c in b'bfnrt\\/"':
                state = "in_string"
            elif c == ord("u"):
                state, hex_left = "hex", 4
            else:
                raise _fail(c, "in string escape code")
        elif state == "hex":
            out.append(c)
            if c not in _HEX:
                raise _fail(c, "in \\u hexadecimal character escape")
            hex_left -= 1
            if hex_left == 0:
                state = "in_string"
        elif state == "neg":
            if c == ord("0"):
                out.append(c)
                state = "zero"
            elif c in b"123456789":
                out.append(c)
                state = "int"
            else:
                raise _fail(c, "in numeric literal")
        elif state in ("int", "zero"):
            if state == "int" and c in _DIGITS:
                out.append(c)
            elif c == ord("."):
                out.append(c)
                state = "dot"
            elif c in b"eE":
                out.append(c)
                state = "exp"
            else:
                state = end_value(c)
        elif state == "dot":
            if c not in _DIGITS:
                raise _fail(c, "after decimal point in numeric literal")
            out.append(c)
            state = "frac"
        elif state == "frac":
            if c in _DIGITS:
                out.append(c)
            elif c in b"eE":
                out.append(c)
                state = "exp"
            else:
                state = end_value(c)
        elif state in ("exp", "exp_sign"):
            if state == "exp" and c in b"+-":
                out.append(c)
                state = "exp_sign"
            elif c in _DIGITS:
                out.append(c)
                state = "exp_digits"
            else:
                raise _fail(c, "in exponent of numeric literal")
        elif state == "exp_digits":
            if c in _DIGITS:
                out.append(c)
            else:
                state = end_value(c)
        elif state == "literal":
            if c != literal[0]:
                raise _fail(c, f"in literal {literal_name} (expecting {_quote_char(literal[0])})")
            out.append(c)
            literal = literal[1:]
            if not literal:
                state = "end_value"
        elif state == "end_value":
            state = end_value(c)
        elif state == "end_top":
            if c not in _SPACE:
                raise _fail(c, "after top-level value")
    # At the end of input: a number may still be open; anything else is truncated.
    if state in ("int", "zero", "frac", "exp_digits") and not stack:
        state = "end_top"
    if state == "end_value" and not stack:
        state = "end_top"
    if state != "end_top":
        raise _SyntaxError("unexpected end of JSON input")
    return bytes(out)
