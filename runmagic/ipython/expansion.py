"""IPython's ``{var}``/``$var`` expansion of magic lines, with Go templates kept intact.

The magics are declared ``@no_var_expand`` and expand here instead. IPython expands a magic line with ``str.format`` rules, so
``--format '{{.ID}}'`` would reach the magic as ``{.ID}`` and ``$v`` in
``{{range $k, $v := ...}}`` would be looked up in the user's namespace. The
text inside ``{{ ... }}`` is escaped before expansion (braces doubled, ``$``
as ``$$``), so templates arrive as written while ``{name}`` and ``$name``
elsewhere on the line still expand.
"""

from __future__ import annotations

import sys

from IPython.utils.text import DollarFormatter


def protect_templates(line: str) -> str:
    """Escape every ``{{ ... }}`` (an unterminated one runs to the end)."""
    out, pos = [], 0
    while True:
        start = line.find("{{", pos)
        if start < 0:
            out.append(line[pos:])
            return "".join(out)
        end = line.find("}}", start + 2)
        end = len(line) if end < 0 else end + 2
        out.append(line[pos:start])
        out.append(line[start:end].replace("{", "{{").replace("}", "}}").replace("$", "$$"))
        pos = end


def _caller_namespace(shell) -> dict:
    """What IPython expands a magic line with: the user's namespace and the
    locals of the code that called the magic."""
    namespace = dict(shell.user_ns)
    frame = sys._getframe()
    while frame is not None and frame.f_code.co_name not in ("run_line_magic", "run_cell_magic"):
        frame = frame.f_back
    if frame is not None and frame.f_back is not None:
        namespace.update(frame.f_back.f_locals)
    return namespace


def expand_line(shell, line: str) -> str:
    """Expand ``line`` as IPython would, leaving every ``{{ ... }}`` as written."""
    try:
        return DollarFormatter().vformat(protect_templates(line), args=[],
                                         kwargs=_caller_namespace(shell))
    except Exception:  # IPython's rule: any failure leaves the whole line as written
        return line
