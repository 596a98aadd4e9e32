"""Small re-implementations of Go standard-library behaviour the docker CLI relies on.

Each helper mirrors one Go function closely enough that accepted inputs,
results and error texts agree: ``net.ParseIP`` and ``IP.String``,
``net.SplitHostPort``, ``net.ParseMAC``, ``path.Clean``, ``os.ReadFile``, ``unicode.IsSpace``
and the first record of ``encoding/csv``. Errors are ``ValueError`` carrying
Go's message. ``strconv`` and the other scalar parsers live in
:mod:`runmagic.values`.
"""

from __future__ import annotations

import ipaddress
import os
import unicodedata

# ------------------------------------------------------------------------ net


def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Go's ``net.ParseIP``: an address without zone, or None."""
    if "%" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def ip_string(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """Go's ``IP.String``: IPv4-mapped IPv6 addresses print in dotted form."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def _addr_error(addr: str, why: str) -> ValueError:
    return ValueError(f"address {addr}: {why}")


def split_host_port(hostport: str) -> tuple[str, str]:
    """Go's ``net.SplitHostPort``; errors read like Go's ``AddrError``."""
    missing_port = "missing port in address"
    i = hostport.rfind(":")
    if i < 0:
        raise _addr_error(hostport, missing_port)
    j = k = 0
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            raise _addr_error(hostport, "missing ']' in address")
        if end + 1 == len(hostport):
            raise _addr_error(hostport, missing_port)
        if end + 1 != i:
            if hostport[end + 1] == ":":
                raise _addr_error(hostport, "too many colons in address")
            raise _addr_error(hostport, missing_port)
        host = hostport[1:end]
        j, k = 1, end + 1
    else:
        host = hostport[:i]
        if ":" in host:
            raise _addr_error(hostport, "too many colons in address")
    if "[" in hostport[j:]:
        raise _addr_error(hostport, "unexpected '[' in address")
    if "]" in hostport[k:]:
        raise _addr_error(hostport, "unexpected ']' in address")
    return host, hostport[i + 1:]


def parse_mac(text: str) -> bytes:
    """Go's ``net.ParseMAC``: 6, 8 or 20 octets as ``aa:bb..``, ``aa-bb..`` or ``aabb.ccdd..``."""
    def bad() -> ValueError:
        return _addr_error(text, "invalid MAC address")

    def hex2(chunk: str) -> int:
        if len(chunk) != 2 or any(c not in "0123456789abcdefABCDEF" for c in chunk):
            raise bad()
        return int(chunk, 16)

    if not text.isascii() or len(text) < 14:
        raise bad()
    out = []
    if text[2] in ":-":
        sep = text[2]
        if (len(text) + 1) % 3:
            raise bad()
        count = (len(text) + 1) // 3
        if count not in (6, 8, 20):
            raise bad()
        for i in range(count):
            at = 3 * i
            if at + 2 < len(text) and text[at + 2] != sep:
                raise bad()
            out.append(hex2(text[at:at + 2]))
    elif text[4] == ".":
        if (len(text) + 1) % 5:
            raise bad()
        count = 2 * (len(text) + 1) // 5
        if count not in (6, 8, 20):
            raise bad()
        for i in range(0, count, 2):
            at = 5 * (i // 2)
            if at + 4 < len(text) and text[at + 4] != ".":
                raise bad()
            out += [hex2(text[at:at + 2]), hex2(text[at + 2:at + 4])]
    else:
        raise bad()
    return bytes(out)


# ----------------------------------------------------------------------- path


def clean_path(path: str) -> str:
    """Go's ``path.Clean`` (and ``filepath.Clean`` on Unix)."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    body = "/".join(parts)
    if rooted:
        return "/" + body
    return body or "."


def abs_path(path: str, cwd: str) -> str:
    """Go's ``filepath.Abs`` on Unix, with ``cwd`` as the working directory."""
    if path.startswith("/"):
        return clean_path(path)
    return clean_path(cwd + "/" + path)


# ------------------------------------------------------------------------- os


class FileError(ValueError):
    """An ``os.ReadFile`` error in Go's words: ``open P: no such file or
    directory``; ``op`` is ``"open"`` or ``"read"`` (a directory)."""

    def __init__(self, op: str, path: str, reason: str):
        super().__init__(f"{op} {path}: {reason}")
        self.op = op


def read_file(path: str, cwd: str | None = None) -> bytes:
    """Go's ``os.ReadFile`` of ``path``, relative to ``cwd`` when given."""
    full = path if cwd is None else os.path.join(cwd, path)
    if path == "":
        raise FileError("open", path, "no such file or directory")
    if os.path.isdir(full):
        raise FileError("read", path, "is a directory")
    try:
        with open(full, "rb") as fh:
            return fh.read()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise FileError("open", path, reason[:1].lower() + reason[1:]) from None
    except ValueError:  # a NUL byte: Go's syscall layer says EINVAL
        raise FileError("open", path, "invalid argument") from None


# -------------------------------------------------------------------- unicode

_GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0")


def is_space(ch: str) -> bool:
    """Go's ``unicode.IsSpace``."""
    if ch in _GO_SPACES:
        return True
    return ord(ch) > 0xFF and unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def trim_left_space(text: str) -> str:
    """``strings.TrimLeftFunc(text, unicode.IsSpace)``."""
    i = 0
    while i < len(text) and is_space(text[i]):
        i += 1
    return text[i:]


def trim_space(text: str) -> str:
    """``strings.TrimSpace``."""
    start, end = 0, len(text)
    while start < end and is_space(text[start]):
        start += 1
    while end > start and is_space(text[end - 1]):
        end -= 1
    return text[start:end]


def to_lower(text: str) -> str:
    """``strings.ToLower`` for one-to-one case mappings (``İ`` is left alone)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def to_upper(text: str) -> str:
    """``strings.ToUpper`` for one-to-one case mappings (``ß`` is left alone)."""
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in text)


def is_letter(ch: str) -> bool:
    """Go's ``unicode.IsLetter``."""
    return unicodedata.category(ch).startswith("L")


# ------------------------------------------------------------------------ csv


class CSVError(ValueError):
    """An ``encoding/csv`` error, worded as Go's ``ParseError`` (or ``EOF``)."""


def _read_lines(data: bytes):
    """Go's csv ``readLine``: each line keeps its ``\\n``, ``\\r\\n`` becomes
    ``\\n`` and a ``\\r`` that ends the input is dropped. Yields
    ``(line, eof)``; ``eof`` is true only when nothing was left to read."""
    start = 0
    while True:
        if start >= len(data):
            yield b"", True
            continue
        end = data.find(b"\n", start)
        if end < 0:
            line = data[start:]
            start = len(data)
            if line.endswith(b"\r"):
                line = line[:-1]
        else:
            line = data[start:end + 1]
            start = end + 1
        if line.endswith(b"\r\n"):
            line = line[:-2] + b"\n"
        yield line, False


def csv_first_record(text: str) -> list[str]:
    """The first record of ``csv.NewReader(strings.NewReader(text)).Read()``.

    Go's rules: ``,`` separates fields; a field opening with ``"`` is quoted,
    ``""`` inside it is one quote and it may run over line ends; a ``"``
    inside an unquoted field is an error; blank lines before the record are
    skipped; no record at all is ``EOF``. Error positions are 1-based byte
    columns, as Go reports them.
    """
    data = text.encode("utf-8", "surrogateescape")
    lines = _read_lines(data)
    num_line = 0
    while True:
        line, eof = next(lines)
        num_line += 1
        if eof:
            raise CSVError("EOF")
        if line not in (b"", b"\n"):
            break
    rec_line = num_line
    pos_line, col = num_line, 1
    fields: list[bytes] = []

    def parse_error(line_no: int, column: int, why: str) -> CSVError:
        msg = f"parse error on line {line_no}, column {column}: {why}"
        if line_no != rec_line:
            msg = f"record on line {rec_line}; {msg}"
        return CSVError(msg)

    while True:
        if not line.startswith(b'"'):
            comma = line.find(b",")
            field = line[:comma] if comma >= 0 else line[:len(line) - line.endswith(b"\n")]
            quote_at = field.find(b'"')
            if quote_at >= 0:
                raise parse_error(num_line, col + quote_at, 'bare " in non-quoted-field')
            fields.append(field)
            if comma < 0:
                break
            line = line[comma + 1:]
            col += comma + 1
            continue
        # A quoted field.
        buf = bytearray()
        line = line[1:]
        col += 1
        done_record = False
        while True:
            q = line.find(b'"')
            if q >= 0:
                buf += line[:q]
                line = line[q + 1:]
                col += q + 1
                if line.startswith(b'"'):
                    buf += b'"'
                    line = line[1:]
                    col += 1
                elif line.startswith(b","):
                    line = line[1:]
                    col += 1
                    break
                elif line in (b"", b"\n"):
                    done_record = True
                    break
                else:
                    raise parse_error(num_line, col - 1, 'extraneous or missing " in quoted-field')
            elif line:
                buf += line
                col += len(line)
                line, _ = next(lines)
                num_line += 1
                if line:
                    pos_line, col = pos_line + 1, 1
            else:
                raise parse_error(pos_line, col, 'extraneous or missing " in quoted-field')
        fields.append(bytes(buf))
        if done_record:
            break
    return [f.decode("utf-8", "surrogateescape") for f in fields]
