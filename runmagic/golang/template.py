"""The subset of Go's text/template that docker's ``--format`` needs.

Pure: no IPython, no docker. Supported: text and ``{{ }}`` actions with
``{{-``/``-}}`` trimming and ``{{/* comments */}}``; pipelines with ``|``;
fields and chains (``.State.Status``, ``$v.Name``, ``(index .X 0).Y``);
method calls with arguments (``.Label "k"``); variables (``$``, ``$x :=``,
``$x =``); ``if``/``else if``/``else``, ``range`` (with ``$i, $v :=`` and
``else``), ``with``; string, number, bool and nil literals; docker's
functions (json, split, join, title, lower, upper, pad, truncate) and Go's
and, or, not, len, index, eq, ne, lt, le, gt, ge, print, printf, println.

``define``, ``template``, ``block``, ``break``, ``continue`` and the
functions html, js, urlquery, slice and call are refused with
:class:`Unsupported` when the template is parsed, so nothing outside the
subset is ever executed half-way. Errors carry Go's words
(``template: :1: unclosed action``, ``template: :1:2: executing "" at
<.Foo>: can't evaluate field Foo in type ...``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from runmagic.golang.strconv import go_quote
from runmagic.golang import values as gv


class TemplateError(ValueError):
    """A template Go's parser refuses (the CLI's status is 64 or 1)."""


class ExecError(ValueError):
    """The template failed while executing, in Go's words."""


class Unsupported(ValueError):
    """Valid Go, but outside the subset runmagic reproduces."""


_UNSUPPORTED_KEYWORDS = ("define", "template", "block", "break", "continue")
_UNSUPPORTED_FUNCTIONS = ("html", "js", "urlquery", "slice", "call")
#: docker's table-header functions and their argument counts.
_HEADER_FUNCTIONS = {"json": 1, "split": 2, "join": 2, "title": 1, "lower": 1, "upper": 1, "truncate": 2}
_KNOWN_FUNCTIONS = (
    "json", "split", "join", "title", "lower", "upper", "pad", "truncate",
    "and", "or", "not", "len", "index", "eq", "ne", "lt", "le", "gt", "ge",
    "print", "printf", "println",
)


# ------------------------------------------------------------------ nodes


@dataclass
class Node:
    pos: int


@dataclass
class Text(Node):
    text: str


@dataclass
class FieldRef(Node):
    """``.A.B`` (on dot), or ``$x.A.B`` / ``(pipe).A.B`` when ``base`` is set."""

    names: list[str]
    base: Node | None = None

    def __str__(self) -> str:
        prefix = str(self.base) if self.base is not None else ""
        return prefix + "".join("." + n for n in self.names)


@dataclass
class Variable(Node):
    name: str  # "$" or "$x"

    def __str__(self) -> str:
        return self.name


@dataclass
class Dot(Node):
    def __str__(self) -> str:
        return "."


@dataclass
class Identifier(Node):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass
class Literal(Node):
    value: gv.Value
    source: str

    def __str__(self) -> str:
        return self.source


@dataclass
class Command(Node):
    args: list[Node]

    def __str__(self) -> str:
        return " ".join(str(a) for a in self.args)


@dataclass
class Pipeline(Node):
    commands: list[Command]
    declares: list[str] = field(default_factory=list)
    assigns: bool = False  # ``$x = ...`` rather than ``$x := ...``

    def __str__(self) -> str:
        text = " | ".join(str(c) for c in self.commands)
        if self.declares:
            text = ", ".join(self.declares) + (" = " if self.assigns else " := ") + text
        return text


@dataclass
class Parenthesized(Node):
    pipe: Pipeline

    def __str__(self) -> str:
        return f"({self.pipe})"


@dataclass
class Action(Node):
    pipe: Pipeline


@dataclass
class Branch(Node):
    keyword: str  # if, range, with
    pipe: Pipeline
    body: list[Node]
    orelse: list[Node]


@dataclass
class _Block:
    """An ``if``/``range``/``with`` being parsed."""

    keyword: str
    pipe: Pipeline
    pos: int
    parent: list[Node]
    chained: bool = False  # an ``else if``: closed by its parent's ``end``
    body: list[Node] = field(default_factory=list)
    orelse: list[Node] | None = None


# ------------------------------------------------------------------ lexer

_SPACE = " \t\r\n"
_RIGHT_TRIM = re.compile(r"[ \t\r\n]-}}")
_SPACES_BEFORE_RIGHT_TRIM = re.compile(r"[ \t\r\n]+(?=[ \t\r\n]-}})")
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<rawstring>`[^`]*`)
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<declare>:=)
  | (?P<punct>[|(),=])
  | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?
                      |\.[0-9][0-9_]*(?:[eE][+-]?[0-9]+)?))
  | (?P<dot>\.)
  | (?P<variable>\$[A-Za-z0-9_]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)


@dataclass
class Token:
    kind: str
    text: str
    pos: int


def _line_of(source: str, pos: int) -> int:
    return source.count("\n", 0, pos) + 1


class _Parser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, message: str, pos: int) -> TemplateError:
        return TemplateError(f"template: :{_line_of(self.source, pos)}: {message}")

    # -- splitting the source into text and actions ---------------------------

    def items(self):
        """Yield ("text", text, pos) and ("action", tokens, pos), trimming as
        ``{{-`` and ``-}}`` ask."""
        source, pos = self.source, 0
        pending_trim = False
        while pos < len(source):
            start = source.find("{{", pos)
            if start < 0:
                text = source[pos:]
                if pending_trim:
                    text = text.lstrip(_SPACE)
                if text:
                    yield ("text", text, pos)
                return
            text = source[pos:start]
            inner = start + 2
            trim_left = source[inner:inner + 1] == "-" and source[inner + 1:inner + 2] in tuple(_SPACE)
            if pending_trim:
                text = text.lstrip(_SPACE)
            if trim_left:
                text = text.rstrip(_SPACE)
                inner += 2
            if text:
                yield ("text", text, pos)
            if source.startswith("/*", inner):
                end = source.find("*/", inner)
                if end < 0:
                    raise self.fail("unclosed comment", start)
                rest = end + 2
                trim_right = source.startswith(" -}}", rest)
                if trim_right:
                    rest += 1
                if not source.startswith("-}}" if trim_right else "}}", rest):
                    raise self.fail("comment ends before closing delimiter", start)
                pos = rest + (3 if trim_right else 2)
                pending_trim = trim_right
                continue
            tokens, pos, pending_trim = self._lex_action(inner, start)
            yield ("action", tokens, start)

    def _lex_action(self, pos: int, start: int):
        source = self.source
        tokens: list[Token] = []
        while True:
            if source.startswith("}}", pos):
                return tokens, pos + 2, False
            if _RIGHT_TRIM.match(source, pos):
                return tokens, pos + 4, True
            if pos >= len(source):
                raise self.fail("unclosed action", start)
            spaces = _SPACES_BEFORE_RIGHT_TRIM.match(source, pos)
            if spaces:
                pos = spaces.end()
                continue
            match = _TOKEN.match(source, pos)
            if not match or match.end() == pos:
                ch = source[pos]
                if source.find("}}", pos) < 0:
                    raise self.fail("unclosed action", start)
                raise self.fail(f"unexpected {go_quote(ch)} in command", pos)
            kind = match.lastgroup
            if kind != "space":
                tokens.append(Token(kind, match.group(), pos))
            elif "\n" in match.group() and source.find("}}", pos) < 0:
                raise self.fail("unclosed action", start)
            pos = match.end()

    # -- building the tree --------------------------------------------------

    def parse(self) -> list[Node]:
        root: list[Node] = []
        stack: list[_Block] = []

        def active() -> list[Node]:
            if not stack:
                return root
            block = stack[-1]
            return block.body if block.orelse is None else block.orelse

        for item in self.items():
            if item[0] == "text":
                active().append(Text(item[2], item[1]))
                continue
            tokens, pos = item[1], item[2]
            if not tokens:
                raise self.fail("missing value for command", pos)
            keyword = tokens[0].text if tokens[0].kind == "word" else ""
            if keyword in _UNSUPPORTED_KEYWORDS:
                raise Unsupported(
                    f"{{{{{keyword}}}}} is not supported by runmagic's Go templates; "
                    "supported: fields, pipelines, if/else, range, with, variables and "
                    "docker's functions")
            if keyword in ("if", "range", "with"):
                pipe = self._pipeline(tokens[1:], pos, context=keyword)
                stack.append(_Block(keyword, pipe, pos, parent=active()))
            elif keyword == "else":
                if not stack or stack[-1].orelse is not None:
                    raise self.fail("unexpected {{else}}", pos)
                block = stack[-1]
                block.orelse = []
                if len(tokens) > 1 and tokens[1].text in ("if", "with"):
                    # ``else if`` is an if nested in the else branch, closed by the same end.
                    pipe = self._pipeline(tokens[2:], pos, context=tokens[1].text)
                    stack.append(_Block(tokens[1].text, pipe, pos, parent=block.orelse, chained=True))
                elif len(tokens) > 1:
                    raise self.fail(f"unexpected {go_quote(tokens[1].text)} in else", pos)
            elif keyword == "end":
                if len(tokens) > 1:
                    raise self.fail(f"unexpected {go_quote(tokens[1].text)} in end", pos)
                if not stack:
                    raise self.fail("unexpected {{end}}", pos)
                while True:
                    block = stack.pop()
                    block.parent.append(
                        Branch(block.pos, block.keyword, block.pipe, block.body, block.orelse or []))
                    if not block.chained:
                        break
            else:
                active().append(Action(pos, self._pipeline(tokens, pos, context="command")))
        if stack:
            raise self.fail("unexpected EOF", len(self.source))
        return root

    def _pipeline(self, tokens: list[Token], pos: int, context: str) -> Pipeline:
        declares: list[str] = []
        assigns = False
        index = 0
        # ``$x :=``, ``$i, $v :=`` or ``$x =``
        if tokens and tokens[0].kind == "variable":
            names = [tokens[0].text]
            look = 1
            if len(tokens) > 2 and tokens[1].text == "," and tokens[2].kind == "variable":
                names.append(tokens[2].text)
                look = 3
            operator = tokens[look].text if len(tokens) > look else ""
            if operator in (":=", "=") and tokens[look].kind in ("declare", "punct"):
                if len(names) == 2 and context != "range":
                    raise self.fail("too many declarations in command", pos)
                declares, assigns = names, operator == "="
                index = look + 1
        if not tokens[index:]:
            raise self.fail(f"missing value for {context}", pos)
        commands: list[Command] = []
        args: list[Node] = []
        i = index
        while i < len(tokens):
            token = tokens[i]
            if token.text == "|" and token.kind == "punct":
                if not args:
                    raise self.fail("missing command", token.pos)
                commands.append(Command(args[0].pos, args))
                args = []
                i += 1
                continue
            node, i = self._operand(tokens, i)
            args.append(node)
        if not args:
            raise self.fail("missing command", pos)
        commands.append(Command(args[0].pos, args))
        for stage, command in enumerate(commands[1:], start=2):
            if isinstance(command.args[0], Literal):
                raise self.fail(f"non executable command in pipeline stage {stage}", pos)
        return Pipeline(pos, commands, declares, assigns)

    def _operand(self, tokens: list[Token], i: int) -> tuple[Node, int]:
        token = tokens[i]
        kind, text = token.kind, token.text
        node: Node
        if kind == "field":
            names = text[1:].split(".")
            # Go places a chain of fields at its second element.
            second = text.find(".", 1)
            return FieldRef(token.pos + second if second > 0 else token.pos, names), i + 1
        if kind == "dot":
            node = Dot(token.pos)
        elif kind == "variable":
            node = Variable(token.pos, text)
        elif kind == "word":
            if text in ("true", "false"):
                node = Literal(token.pos, gv.Value(gv.BOOL, text == "true"), text)
            elif text == "nil":
                node = Literal(token.pos, gv.Value(gv.ANY, None), text)
            elif text in _UNSUPPORTED_FUNCTIONS:
                raise Unsupported(f"the template function {text!r} is not supported by runmagic")
            elif text in _KNOWN_FUNCTIONS:
                node = Identifier(token.pos, text)
            elif text in ("if", "range", "with", "else", "end") + _UNSUPPORTED_KEYWORDS:
                raise self.fail(f"unexpected <{text}> in command", token.pos)
            else:
                raise self.fail(f'function "{text}" not defined', token.pos)
        elif kind in ("string", "rawstring"):
            node = Literal(token.pos, gv.Value(gv.STRING, _unquote(text)), text)
        elif kind == "char":
            node = Literal(token.pos, gv.Value(gv.INT, ord(_unquote('"' + text[1:-1] + '"'))), text)
        elif kind == "number":
            node = Literal(token.pos, _number(text, self, token.pos), text)
        elif text == "(":
            depth, j = 1, i + 1
            while j < len(tokens) and depth:
                if tokens[j].text == "(" and tokens[j].kind == "punct":
                    depth += 1
                elif tokens[j].text == ")" and tokens[j].kind == "punct":
                    depth -= 1
                j += 1
            if depth:
                raise self.fail("unclosed left paren", token.pos)
            inner = self._pipeline(tokens[i + 1:j - 1], token.pos, context="parenthesized pipeline")
            node = Parenthesized(token.pos, inner)
            i = j - 1
        else:
            raise self.fail(f"unexpected {go_quote(text)} in operand", token.pos)
        end = tokens[i].pos + len(tokens[i].text)
        i += 1
        if (i < len(tokens) and tokens[i].kind == "field" and tokens[i].pos == end
                and not isinstance(node, (Identifier, Literal))):
            field_token = tokens[i]
            names = field_token.text[1:].split(".")
            return FieldRef(field_token.pos, names, base=node), i + 1
        return node, i


def _unquote(text: str) -> str:
    if text.startswith("`"):
        return text[1:-1]
    body = text[1:-1]
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "a": "\a",
               "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[nxt]
                out.append(chr(int(body[i + 2:i + 2 + width], 16)))
                i += 2 + width
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _number(text: str, parser: _Parser, pos: int) -> gv.Value:
    """Go's number constants: decimal, octal (leading 0), hex, or floating point."""
    clean = text.replace("_", "")
    digits = clean.lstrip("+-")
    try:
        if digits.lower().startswith("0x"):
            return gv.Value(gv.INT, int(clean, 16))
        if digits.isdigit():
            base = 8 if len(digits) > 1 and digits[0] == "0" else 10
            return gv.Value(gv.INT, int(clean, base))
        return gv.Value(gv.FLOAT64, float(clean))
    except ValueError:
        raise parser.fail(f"bad number syntax: {go_quote(text)}", pos) from None


# --------------------------------------------------------------- templates


@dataclass
class Template:
    source: str
    nodes: list[Node]

    def execute(self, dot: gv.Value, *, missing_key_error: bool = False,
                header: bool = False) -> str:
        """Run the template on ``dot``. ``header`` selects docker's header
        functions (which leave the column names alone). Raises ExecError,
        or govalues.Unreproducible for output runmagic cannot reproduce."""
        run = _Execution(self.source, dot, missing_key_error, header)
        run.walk(self.nodes)
        return "".join(run.out)

    def execute_partial(self, dot: gv.Value, *, header: bool = False) -> str:
        """What Go writes before an error: docker's table headers are written
        to the tab writer as they execute and an error only stops them."""
        run = _Execution(self.source, dot, False, header)
        try:
            run.walk(self.nodes)
        except (ExecError, gv.Unreproducible, gv.GoError):
            pass
        return "".join(run.out)


def parse(source: str) -> Template:
    """Parse a Go template; raises TemplateError (Go's words) or Unsupported."""
    return Template(source, _Parser(source).parse())


# --------------------------------------------------------------- execution


class _Execution:
    def __init__(self, source: str, dot: gv.Value, missing_key_error: bool, header: bool):
        self.source = source
        self.root = dot
        self.missing_key_error = missing_key_error
        self.header = header
        self.out: list[str] = []
        self.scopes: list[dict[str, gv.Value]] = [{"$": dot}]

    def error(self, node: Node, message: str) -> ExecError:
        line = _line_of(self.source, node.pos)
        column = node.pos - (self.source.rfind("\n", 0, node.pos) + 1)
        return ExecError(f'template: :{line}:{column}: executing "" at <{node}>: {message}')

    def walk(self, nodes: list[Node], dot: gv.Value | None = None) -> None:
        dot = self.root if dot is None else dot
        for node in nodes:
            if isinstance(node, Text):
                self.out.append(node.text)
            elif isinstance(node, Action):
                value = self.pipeline(node.pipe, dot)
                if not node.pipe.declares:
                    self.out.append(self.printable(node, value))
            else:
                self.branch(node, dot)

    def printable(self, node: Node, value: gv.Value) -> str:
        try:
            return gv.format_value(value)
        except gv.GoError as exc:
            raise self.error(node, str(exc)) from None

    def branch(self, node: Branch, dot: gv.Value) -> None:
        self.scopes.append({})
        try:
            value = self.pipeline(node.pipe, dot, declare=node.keyword != "range")
            if node.keyword == "if":
                self.walk(node.body if gv.is_true(value) else node.orelse, dot)
            elif node.keyword == "with":
                if gv.is_true(value):
                    self.walk(node.body, value)
                else:
                    self.walk(node.orelse, dot)
            else:
                self.range(node, value, dot)
        finally:
            self.scopes.pop()

    def range(self, node: Branch, value: gv.Value, dot: gv.Value) -> None:
        items = self.iterate(node, value)
        if not items:
            self.walk(node.orelse, dot)
            return
        names = node.pipe.declares
        for key, item in items:
            self.scopes.append({})
            if len(names) == 1:
                self.scopes[-1][names[0]] = item
            elif len(names) == 2:
                self.scopes[-1][names[0]] = key
                self.scopes[-1][names[1]] = item
            try:
                self.walk(node.body, item)
            finally:
                self.scopes.pop()

    def iterate(self, node: Node, value: gv.Value) -> list[tuple[gv.Value, gv.Value]]:
        value = gv.indirect(value)
        kind, data = value.kind, value.data
        if kind == "raw":
            if isinstance(data, list):
                return [(gv.Value(gv.INT, i), gv.Value(value.type, v)) for i, v in enumerate(data)]
            if isinstance(data, dict):
                return [(gv.Value(gv.STRING, k), gv.Value(value.type, data[k]))
                        for k in gv.sort_keys(data, "string")]
            if data is None:
                return []
        elif kind in ("slice", "array"):
            return [(gv.Value(gv.INT, i), gv.Value(value.type.elem, v)) for i, v in enumerate(data or [])]
        elif kind == "map":
            items = data or {}
            return [(gv.Value(value.type.key, k), gv.Value(value.type.elem, items[k]))
                    for k in gv.sort_keys(items, value.type.key.kind)]
        elif kind == "invalid" or data is None and kind in ("ptr", "any"):
            return []
        raise self.error(node, f"range can't iterate over {gv.format_value(value)}")

    # -- pipelines ----------------------------------------------------------

    def lookup(self, node: Variable) -> gv.Value:
        for scope in reversed(self.scopes):
            if node.name in scope:
                return scope[node.name]
        raise TemplateError(f"template: :{_line_of(self.source, node.pos)}: undefined variable: {node.name}")

    def pipeline(self, pipe: Pipeline, dot: gv.Value, declare: bool = True) -> gv.Value:
        value: gv.Value | None = None
        for command in pipe.commands:
            value = self.command(command, dot, value)
        if pipe.declares and declare:
            if pipe.assigns:
                for scope in reversed(self.scopes):
                    if pipe.declares[0] in scope:
                        scope[pipe.declares[0]] = value
                        break
            else:
                self.scopes[-1][pipe.declares[0]] = value
        return value

    def command(self, command: Command, dot: gv.Value, final: gv.Value | None) -> gv.Value:
        first, args = command.args[0], command.args[1:]
        if isinstance(first, FieldRef):
            return self.field_chain(first, dot, args, final)
        if isinstance(first, Identifier):
            return self.call(first, dot, args, final)
        if args or final is not None:
            raise self.error(first, f"can't give argument to non-function {first}")
        return self.operand(first, dot)

    def operand(self, node: Node, dot: gv.Value) -> gv.Value:
        if isinstance(node, Dot):
            return dot
        if isinstance(node, Variable):
            return self.lookup(node)
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Parenthesized):
            return self.pipeline(node.pipe, dot)
        if isinstance(node, FieldRef):
            return self.field_chain(node, dot, [], None)
        if isinstance(node, Identifier):
            return self.call(node, dot, [], None)
        raise self.error(node, "unsupported operand")

    def field_chain(self, node: FieldRef, dot: gv.Value, args: list[Node],
                    final: gv.Value | None) -> gv.Value:
        receiver = dot if node.base is None else self.operand(node.base, dot)
        names = node.names
        for index, name in enumerate(names):
            last = index == len(names) - 1
            call_args = [self.operand(a, dot) for a in args] if last else []
            if last and final is not None:
                call_args.append(final)
            has_args = last and (bool(args) or final is not None)
            receiver = self.field(node, receiver, name, call_args, has_args=has_args)
        return receiver

    def field(self, node: Node, receiver: gv.Value, name: str, args: list[gv.Value],
              has_args: bool) -> gv.Value:
        target = gv.indirect(receiver) if receiver.kind == "ptr" and receiver.data is not None else receiver
        if target.kind in ("context", "header"):
            methods = target.type.methods
            if name in methods:
                function, arg_count = methods[name]
                if len(args) != arg_count:
                    raise self.error(
                        node, f"wrong number of args for {name}: want {arg_count} got {len(args)}")
                try:
                    return function(target.data, *[self.string_arg(node, a) for a in args])
                except gv.GoError as exc:
                    raise self.error(node, str(exc)) from None
            if target.kind == "header":
                if has_args:
                    raise self.error(node, f"{name} has arguments but cannot be invoked as function")
                return gv.Value(gv.STRING, target.data[name]) if name in target.data else gv.NO_VALUE
            raise self.error(node, f"can't evaluate field {name} in type {target.type.name}")
        if has_args:
            raise self.error(node, f"{name} has arguments but cannot be invoked as function")
        try:
            return gv.get_field(receiver, name, self.missing_key_error)
        except gv.GoError as exc:
            raise self.error(node, str(exc)) from None

    # -- functions ------------------------------------------------------------

    def string_arg(self, node: Node, value: gv.Value) -> str:
        value = _deref(value)
        if value.kind == "string" or value.kind == "raw" and isinstance(value.data, str):
            return value.data
        raise self.error(node, f"wrong type for value; expected string; got {gv.type_name(value)}")

    def int_arg(self, node: Node, value: gv.Value) -> int:
        value = _deref(value)
        if value.kind in ("int", "uint"):
            return int(value.data)
        raise self.error(node, f"wrong type for value; expected int; got {gv.type_name(value)}")

    def call(self, node: Identifier, dot: gv.Value, arg_nodes: list[Node],
             final: gv.Value | None) -> gv.Value:
        name = node.name
        if name in ("and", "or"):
            return self.logical(node, dot, arg_nodes, final)
        args = [self.operand(a, dot) for a in arg_nodes]
        if final is not None:
            args.append(final)
        try:
            if self.header and name in _HEADER_FUNCTIONS:
                # docker's header functions return the column name unchanged.
                self._arity(node, args, _HEADER_FUNCTIONS[name])
                return gv.Value(gv.STRING, self.string_arg(node, args[0]))
            return getattr(self, "fn_" + name)(node, args)
        except gv.GoError as exc:
            raise self.error(node, str(exc)) from None

    def logical(self, node, dot, arg_nodes, final):
        values = [self.operand(a, dot) for a in arg_nodes]
        if final is not None:
            values.append(final)
        if not values:
            raise self.error(node, f"wrong number of args for {node.name}: want at least 1 got 0")
        for value in values:
            if gv.is_true(value) == (node.name == "or"):
                return value
        return values[-1]

    def fn_not(self, node, args):
        self._arity(node, args, 1)
        return gv.Value(gv.BOOL, not gv.is_true(args[0]))

    def fn_json(self, node, args):
        self._arity(node, args, 1)
        return gv.Value(gv.STRING, gv.to_json(args[0], escape_html=False))

    def fn_split(self, node, args):
        self._arity(node, args, 2)
        text, sep = self.string_arg(node, args[0]), self.string_arg(node, args[1])
        parts = list(text) if sep == "" else text.split(sep)
        return gv.Value(gv.STRINGS, parts)

    def fn_join(self, node, args):
        self._arity(node, args, 2)
        items, sep = _deref(args[0]), self.string_arg(node, args[1])
        if items.kind in ("slice", "array"):
            texts = [gv.format_value(gv.Value(items.type.elem, i), 1) for i in items.data or []]
        elif items.kind == "map":
            data = items.data or {}
            texts = sorted(gv.format_value(gv.Value(items.type.elem, v), 1) for v in data.values())
        elif items.kind == "raw" and isinstance(items.data, list):
            texts = [gv.format_value(gv.Value(items.type, i), 1) for i in items.data]
        elif items.kind == "raw" and isinstance(items.data, dict):
            texts = sorted(gv.format_value(gv.Value(items.type, v), 1) for v in items.data.values())
        elif items.data is None and items.kind in ("ptr", "any", "raw", "invalid"):
            return gv.Value(gv.STRING, "")
        else:
            raise gv.GoError(f"expected slice, got {gv.type_name(items)}")
        return gv.Value(gv.STRING, sep.join(texts))

    def fn_title(self, node, args):
        self._arity(node, args, 1)
        text = self.string_arg(node, args[0])
        return gv.Value(gv.STRING, re.sub(r"(^|[^\w'])(\w)", lambda m: m.group(1) + m.group(2).upper(), text))

    def fn_lower(self, node, args):
        self._arity(node, args, 1)
        return gv.Value(gv.STRING, self.string_arg(node, args[0]).lower())

    def fn_upper(self, node, args):
        self._arity(node, args, 1)
        return gv.Value(gv.STRING, self.string_arg(node, args[0]).upper())

    def fn_pad(self, node, args):
        self._arity(node, args, 3)
        text = self.string_arg(node, args[0])
        before, after = self.int_arg(node, args[1]), self.int_arg(node, args[2])
        return gv.Value(gv.STRING, " " * before + text + " " * after if text else text)

    def fn_truncate(self, node, args):
        self._arity(node, args, 2)
        data = self.string_arg(node, args[0]).encode("utf-8", "surrogateescape")
        length = self.int_arg(node, args[1])
        if len(data) < length:
            return gv.Value(gv.STRING, data.decode("utf-8", "surrogateescape"))
        return gv.Value(gv.STRING, data[:length].decode("utf-8", "surrogateescape"))

    def fn_len(self, node, args):
        self._arity(node, args, 1)
        value = _deref(args[0])
        data = value.data
        if isinstance(data, str) and value.kind in ("string", "raw"):
            return gv.Value(gv.INT, len(data.encode("utf-8", "surrogateescape")))  # bytes, as Go counts
        if value.kind in ("slice", "array", "map") or value.kind == "raw" and isinstance(data, (list, dict)):
            return gv.Value(gv.INT, len(data or ()))
        raise gv.GoError(f"error calling len: len of type {gv.type_name(value)}")

    def fn_index(self, node, args):
        if not args:
            raise self.error(node, "wrong number of args for index: want at least 1 got 0")
        item = args[0]
        for key in args[1:]:
            item = _deref(item)
            if item.kind in ("slice", "array") or item.kind == "raw" and isinstance(item.data, list):
                position = self.int_arg(node, key)
                items = item.data or []
                if not 0 <= position < len(items):
                    raise gv.GoError(f"error calling index: index out of range: {position}")
                item = gv.Value(item.type if item.kind == "raw" else item.type.elem, items[position])
            elif item.kind == "map" or item.kind == "raw" and isinstance(item.data, dict):
                name = self.string_arg(node, key)
                data = item.data or {}
                if item.kind == "raw":
                    item = gv.Value(item.type, data[name]) if name in data else gv.Value(gv.ANY, None)
                else:
                    item = gv.Value(item.type.elem, data[name]) if name in data else gv.Value(
                        item.type.elem, gv.zero_data(item.type.elem))
            elif item.data is None and item.kind in ("ptr", "any", "raw", "invalid"):
                raise gv.GoError("error calling index: index of untyped nil")
            else:
                raise gv.GoError(f"error calling index: can't index item of type {gv.type_name(item)}")
        return item

    def _comparable(self, node, value: gv.Value):
        value = _deref(value)
        kind = value.kind
        if kind in ("int", "uint"):
            return "int", int(value.data)
        if kind == "float":
            return "float", float(value.data)
        if kind in ("string", "bool"):
            return kind, value.data
        if kind == "raw" and isinstance(value.data, (str, bool)):
            return ("string" if isinstance(value.data, str) else "bool"), value.data
        if kind == "raw" and isinstance(value.data, (int, float)):
            return "string", gv.raw_number(value.data)  # a json.Number is a string
        if kind in ("ptr", "any", "raw", "invalid") and value.data is None:
            return "nil", None
        raise gv.GoError("error calling eq: incompatible types for comparison")

    def _compare(self, node, name, args):
        if len(args) < 2:
            raise self.error(node, f"wrong number of args for {name}: want 2 got {len(args)}")
        left_kind, left = self._comparable(node, args[0])
        results = []
        for other in args[1:] if name == "eq" else args[1:2]:
            right_kind, right = self._comparable(node, other)
            if {left_kind, right_kind} == {"int", "float"}:
                left_value, right_value = float(left), float(right)
            elif left_kind != right_kind:
                raise gv.GoError(f"error calling {name}: incompatible types for comparison")
            else:
                left_value, right_value = left, right
            if name not in ("eq", "ne") and left_kind in ("bool", "nil"):
                raise gv.GoError(f"error calling {name}: invalid type for comparison")
            results.append((left_value, right_value))
        return results

    def fn_eq(self, node, args):
        return gv.Value(gv.BOOL, any(a == b for a, b in self._compare(node, "eq", args)))

    def fn_ne(self, node, args):
        [(a, b)] = self._compare(node, "ne", args)
        return gv.Value(gv.BOOL, a != b)

    def fn_lt(self, node, args):
        [(a, b)] = self._compare(node, "lt", args)
        return gv.Value(gv.BOOL, a < b)

    def fn_le(self, node, args):
        [(a, b)] = self._compare(node, "le", args)
        return gv.Value(gv.BOOL, a <= b)

    def fn_gt(self, node, args):
        [(a, b)] = self._compare(node, "gt", args)
        return gv.Value(gv.BOOL, a > b)

    def fn_ge(self, node, args):
        [(a, b)] = self._compare(node, "ge", args)
        return gv.Value(gv.BOOL, a >= b)

    def fn_print(self, node, args):
        out = []
        for i, value in enumerate(args):
            is_string = _deref(value).kind == "string"
            if i and not is_string and _deref(args[i - 1]).kind != "string":
                out.append(" ")
            out.append(gv.format_value(value))
        return gv.Value(gv.STRING, "".join(out))

    def fn_println(self, node, args):
        return gv.Value(gv.STRING, " ".join(gv.format_value(a) for a in args) + "\n")

    def fn_printf(self, node, args):
        if not args:
            raise self.error(node, "wrong number of args for printf: want at least 1 got 0")
        return gv.Value(gv.STRING, sprintf(self.string_arg(node, args[0]), args[1:]))

    def _arity(self, node, args, count):
        if len(args) != count:
            raise self.error(node, f"wrong number of args for {node.name}: want {count} got {len(args)}")


def _deref(value: gv.Value) -> gv.Value:
    if value.kind == "ptr" and value.data is not None:
        return gv.indirect(value)
    if value.kind == "any":
        return gv.dynamic(value.data)
    return value


_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def sprintf(format_text: str, args: list[gv.Value]) -> str:
    """Go's fmt.Sprintf for the verbs templates use: %s %v %d %q %t %f %x and %%."""
    out, index, pos = [], 0, 0
    for match in _VERB.finditer(format_text):
        out.append(format_text[pos:match.start()])
        pos = match.end()
        flags, width, precision, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        value = _deref(args[index])
        index += 1
        out.append(_pad(_format_verb(verb, value, precision), flags, width))
    out.append(format_text[pos:])
    if index < len(args):
        extra = ", ".join(f"{gv.type_name(_deref(a))}={gv.format_value(a)}" for a in args[index:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _format_verb(verb: str, value: gv.Value, precision: str | None) -> str:
    kind = value.kind
    if verb in "sv":
        text = gv.format_value(value)
        if verb == "s" and kind in ("int", "uint", "float", "bool"):
            return f"%!s({value.type.name}={text})"
        return text[:int(precision)] if precision is not None and verb == "s" else text
    if verb == "d" and kind in ("int", "uint"):
        return str(int(value.data))
    if verb == "q" and kind == "string":
        return go_quote(value.data)
    if verb == "t" and kind == "bool":
        return "true" if value.data else "false"
    if verb == "f" and kind in ("float", "int"):
        if kind == "int":
            return f"%!f(int={value.data})"
        return f"{float(value.data):.{int(precision) if precision is not None else 6}f}"
    if verb in "xX" and kind in ("int", "uint"):
        return format(int(value.data), verb)
    if verb in "xX" and kind == "string":
        return value.data.encode().hex() if verb == "x" else value.data.encode().hex().upper()
    if verb in "sdqtfxXv":
        return f"%!{verb}({gv.type_name(value)}={gv.format_value(value)})"
    raise Unsupported(f"the printf verb %{verb} is not supported by runmagic")


def _pad(text: str, flags: str, width: str | None) -> str:
    if not width:
        return text
    size = int(width)
    if "-" in flags:
        return text.ljust(size)
    if "0" in flags and text.lstrip("-").isdigit():
        sign = "-" if text.startswith("-") else ""
        return sign + text.lstrip("-").rjust(size - len(sign), "0")
    return text.rjust(size)
