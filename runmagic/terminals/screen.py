"""A terminal session's bytes as a readable transcript.

A TTY's output is meant for a screen: carriage returns, cursor moves, line and
screen erasures, colours, queries (busybox sh asks for the cursor position
with ``ESC [ 6 n`` before every prompt). :class:`Transcript` plays them on a
small screen model with unlimited scrollback and returns the text a reader
would have seen: what scrolled off plus the final screen. A full-screen
program (``vi``, ``top``, ``less``) draws on the alternate screen; when it
leaves, its last frame is kept in the transcript, then the normal screen
comes back, as it does in a terminal.

Pure and small on purpose: only what shells and the common full-screen
programs emit is interpreted; any other sequence is dropped, never shown.
"""

from __future__ import annotations

import codecs
import re

#: CSI: ESC [ params intermediates final; OSC: ESC ] ... BEL or ST; other ESC x pairs.
_SEQUENCE = re.compile(
    r"\x1b\[(?P<params>[0-?]*)[ -/]*(?P<final>[@-~])"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1b[()][0-9A-Za-z]"
    r"|\x1b(?P<single>[^\[\]()])"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class _Screen:
    """Lines of cells and a cursor; rows past the last ``height`` lines are scrollback."""

    def __init__(self, height: int, width: int):
        self.height, self.width = height, width
        self.lines: list[list[str]] = [[]]
        self.row = 0  # index into lines
        self.col = 0
        self.saved = (0, 0)

    @property
    def top(self) -> int:
        """The index of the screen's first line (the ones above are scrollback)."""
        return max(0, len(self.lines) - self.height)

    def _line(self) -> list[str]:
        while self.row >= len(self.lines):
            self.lines.append([])
        return self.lines[self.row]

    def put(self, text: str) -> None:
        for char in text:
            if self.col >= self.width:  # autowrap
                self.newline()
                self.col = 0
            line = self._line()
            if len(line) < self.col:
                line.extend(" " * (self.col - len(line)))
            if self.col < len(line):
                line[self.col] = char
            else:
                line.append(char)
            self.col += 1

    def newline(self) -> None:
        self.row += 1
        self._line()

    def move_to(self, row: int, col: int) -> None:
        """Screen coordinates, 0-based, clamped to the screen."""
        row = min(max(row, 0), self.height - 1)
        # A screen that has not filled yet still has its rows: make them exist.
        self.row = self.top + row if len(self.lines) >= self.height else row
        self._line()
        self.col = min(max(col, 0), self.width - 1)

    def screen_row(self) -> int:
        return self.row - self.top if len(self.lines) >= self.height else self.row

    def erase_line(self, mode: int) -> None:
        line = self._line()
        if mode == 0:
            del line[self.col:]
        elif mode == 1:
            line[:self.col + 1] = " " * min(len(line), self.col + 1)
        else:
            line.clear()

    def erase_screen(self, mode: int) -> None:
        first = self.top if len(self.lines) >= self.height else 0
        if mode == 0 and self.screen_row() == 0 and self.col == 0:
            mode = 2  # `clear` (home, then erase below): a clear, as mode 2
        if mode == 0:
            self.erase_line(0)
            del self.lines[self.row + 1:]
        elif mode == 1:
            for index in range(first, self.row):
                self.lines[index] = []
            self.erase_line(1)
        else:  # 2 and 3: a clear; what was on the screen stays above, in the scrollback
            row = self.screen_row()
            if any(self.lines[first:]):
                self.lines.extend([] for _ in range(self.height))
            self.move_to(row, self.col)

    def text(self) -> str:
        return "\n".join("".join(line).rstrip() for line in self.lines).rstrip("\n")


class Transcript:
    """Feed bytes as they come (``feed``), read the text with ``text()``."""

    def __init__(self, height: int = 24, width: int = 80):
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        self._main = _Screen(height, width)
        self._alternate: _Screen | None = None
        self._screen = self._main

    def feed(self, data: bytes) -> None:
        text = self._pending + self._decoder.decode(data)
        # An escape sequence cut by the chunk boundary waits for the rest.
        cut = text.rfind("\x1b")
        if cut != -1 and cut > len(text) - 32 and not _SEQUENCE.match(text, cut):
            text, self._pending = text[:cut], text[cut:]
        else:
            self._pending = ""
        position = 0
        for match in _SEQUENCE.finditer(text):
            self._plain(text[position:match.start()])
            if match.group("final"):
                self._csi(match.group("params"), match.group("final"))
            elif match.group("single") in ("7", "8"):
                screen = self._screen
                if match.group("single") == "7":
                    screen.saved = (screen.screen_row(), screen.col)
                else:
                    screen.move_to(*screen.saved)
            position = match.end()
        self._plain(text[position:])

    def _plain(self, text: str) -> None:
        screen = self._screen
        position = 0
        for match in _CONTROL.finditer(text):
            screen.put(text[position:match.start()])
            char = match.group()
            if char == "\n":
                screen.newline()
            elif char == "\r":
                screen.col = 0
            elif char == "\b":
                screen.col = max(0, screen.col - 1)
            elif char == "\t":
                screen.put(" " * (8 - screen.col % 8))
            position = match.end()
        screen.put(text[position:])

    def _csi(self, params: str, final: str) -> None:
        screen = self._screen
        private = params.startswith("?")
        numbers = [int(p) if p.isdigit() else 0 for p in params.lstrip("?<=>").split(";")] if params else []
        first = numbers[0] if numbers else 0
        count = max(first, 1)
        if private and final in "hl":
            if {47, 1047, 1049} & set(numbers):
                self._switch(final == "h")
            return
        if final == "A":
            screen.move_to(screen.screen_row() - count, screen.col)
        elif final == "B":
            screen.move_to(screen.screen_row() + count, screen.col)
        elif final == "C":
            screen.col = min(screen.col + count, screen.width - 1)
        elif final == "D":
            screen.col = max(screen.col - count, 0)
        elif final == "G":
            screen.col = min(count - 1, screen.width - 1)
        elif final in "Hf":
            row = numbers[0] if numbers and numbers[0] else 1
            col = numbers[1] if len(numbers) > 1 and numbers[1] else 1
            screen.move_to(row - 1, col - 1)
        elif final == "d":
            screen.move_to(count - 1, screen.col)
        elif final == "K":
            screen.erase_line(first)
        elif final == "J":
            screen.erase_screen(first)
        elif final == "P":
            line = screen._line()
            del line[screen.col:screen.col + count]
        elif final == "X":
            line = screen._line()
            for index in range(screen.col, min(screen.col + count, len(line))):
                line[index] = " "
        # m (colours), n (queries), r (scroll region), s/u and the rest: nothing to keep.

    def _switch(self, alternate: bool) -> None:
        if alternate and self._alternate is None:
            self._alternate = _Screen(self._main.height, self._main.width)
            self._screen = self._alternate
        elif not alternate and self._alternate is not None:
            # The frame's run of empty rows (a short file in vi) says nothing in a transcript.
            frame = re.sub(r"\n{3,}", "\n\n", self._alternate.text())
            if frame:
                self._main.lines = [list(line) for line in self._main.text().split("\n")]
                self._main.lines += [list(line) for line in frame.split("\n")] + [[]]
                self._main.row, self._main.col = len(self._main.lines) - 1, 0
            self._alternate = None
            self._screen = self._main

    def text(self) -> str:
        """The transcript: scrollback and the final screen (a full-screen program still
        running shows its current frame after the rest)."""
        text = self._main.text()
        if self._alternate is not None and self._alternate.text():
            text = f"{text}\n{self._alternate.text()}" if text else self._alternate.text()
        return text.lstrip("\n")


def transcript(data: bytes, height: int = 24, width: int = 80) -> str:
    """The transcript of a whole session's bytes."""
    screen = Transcript(height, width)
    screen.feed(data)
    return screen.text()


_NOT_COLOUR = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-ln-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[^\[\]()]")


def strip_sequences(data: bytes) -> bytes:
    """Output for a notebook's text stream: colours (SGR) kept, every other escape
    sequence (queries, cursor moves, screen switches) dropped."""
    return _NOT_COLOUR.sub(b"", data)
