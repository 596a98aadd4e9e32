"""docker's table layout: the CLI's tab writer, and an HTML twin of the same cells.

Pure. docker writes each table row as tab-separated cells and lets its fork
of Go's ``text/tabwriter`` align them (minimum width 10, padding 3, spaces,
widths counted in terminal columns). A line without a tab ends a block of
aligned lines, and the text after a line's last tab is never padded.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from runmagic.golang.values import display_width

MIN_WIDTH = 10
PADDING = 3


@dataclass
class _Cell:
    text: str
    width: int


def _split(line: str) -> list[_Cell]:
    # Every line ends with a cell (maybe empty); only the cells before it are aligned.
    return [_Cell(part, display_width(part)) for part in line.split("\t")]


def _write(lines: list[list[_Cell]], first: int, last: int, widths: list[int], out: list[str]) -> None:
    for line in lines[first:last]:
        for column, cell in enumerate(line):
            out.append(cell.text)
            if column < len(widths):
                out.append(" " * (widths[column] - cell.width))
        out.append("\n")


def _format(lines: list[list[_Cell]], first: int, last: int, widths: list[int], out: list[str]) -> None:
    """Go's tabwriter.format: each run of lines that share a column gets the
    width of that column's widest cell, then the next column is laid out
    within the run, recursively."""
    column = len(widths)
    this = first
    while this < last:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write(lines, first, this, widths, out)
        first = this
        width = MIN_WIDTH
        while this < last and column < len(lines[this]) - 1:
            width = max(width, lines[this][column].width + PADDING)
            this += 1
        widths.append(width)
        _format(lines, first, this, widths, out)
        widths.pop()
        first = this
    _write(lines, first, last, widths, out)


def tabwrite(text: str) -> str:
    """Align tab-separated ``text`` as the docker CLI's tab writer does."""
    out: list[str] = []
    block: list[list[_Cell]] = []
    lines = text.split("\n")
    unterminated = lines.pop()  # the text after the last newline
    if unterminated:
        lines.append(unterminated)
    for line in lines:
        block.append(_split(line))
        if "\t" not in line:  # a one-cell line flushes the block
            _format(block, 0, len(block), [], out)
            block = []
    _format(block, 0, len(block), [], out)
    aligned = "".join(out)
    return aligned[:-1] if unterminated else aligned


def html_table(header: list[str], rows: list[list[str]]) -> str:
    """The same cells as an HTML table, for notebooks."""
    head = "".join(f"<th style=\"text-align:left\">{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td style=\"text-align:left\">{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in rows)
    return (f'<table class="runmagic-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")
