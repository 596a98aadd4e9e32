"""Keep Go templates intact through IPython's ``{var}``/``$var`` expansion of magic lines.

Pure. IPython expands a magic line with ``str.format`` rules, so
``--format '{{.ID}}'`` would reach the magic as ``{.ID}`` and ``$v`` in
``{{range $k, $v := ...}}`` would be looked up in the user's namespace. The
text inside ``{{ ... }}`` is escaped before expansion (braces doubled, ``$``
as ``$$``), so templates arrive as written while ``{name}`` and ``$name``
elsewhere on the line still expand.
"""

from __future__ import annotations


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
