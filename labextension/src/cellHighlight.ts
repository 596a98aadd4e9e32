/**
 * What to colour in a cell: decided from the cell's text alone. A `%%docker_run` cell gets
 * spans for its magic line (flags, values, image, command) and for its body (as shell); in
 * any other cell, each `%docker_run` line gets the same spans as a magic line, and each line
 * of a companion magic (`%docker_ps -a`, `x = %docker_logs web`) its magic word, options and
 * arguments; a cell with none gets nothing.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { FlagTable } from './flagTable';
import { findCompanionMagic, findMagic, firstCodeLine, splitWords, tokenizeMagicLine } from './magicLine';
import { tokenizeShell } from './shellTokens';

/** A span of the cell's text and the CSS class that colours it. */
export interface ISpan {
  from: number;
  to: number;
  cls: string;
}

/** CSS class prefix of the magic line's tokens (`rm-dr-flag`, ...). */
export const MAGIC_CLASS = 'rm-dr-';
/** CSS class prefix of the body's shell tokens (`rm-sh-keyword`, ...). */
export const SHELL_CLASS = 'rm-sh-';
/** Line classes: the magic line and the body lines of a %%docker_run cell. */
export const MAGIC_LINE_CLASS = 'rm-dr-line';
export const BODY_LINE_CLASS = 'rm-dr-body';

/** Longest cell text coloured; beyond it only the magic line is (a huge pasted input). */
const MAX_BODY = 200_000;

export interface ICellHighlight {
  spans: ISpan[];
  /** Whether the cell is a `%%docker_run` cell (else: a cell with line magics). */
  cellMagic: boolean;
  /** Offsets of the starts of the magic lines and of each body line. */
  magicLines: number[];
  bodyLines: number[];
}

export function highlightCell(text: string, table: FlagTable): ICellHighlight | null {
  const first = firstCodeLine(text);
  if (!first) {
    return null;
  }
  const magic = findMagic(first.text, 'cell');
  if (!magic) {
    return highlightLineMagics(text, table);
  }
  const spans: ISpan[] = [];
  const { tokens } = tokenizeMagicLine(first.text, table, magic.start);
  for (const t of tokens) {
    spans.push({ from: first.from + t.from, to: first.from + t.to, cls: MAGIC_CLASS + t.kind });
  }
  const bodyLines: number[] = [];
  const bodyStart = first.to + 1;
  if (bodyStart <= text.length) {
    const body = text.slice(bodyStart, bodyStart + MAX_BODY);
    for (const t of tokenizeShell(body)) {
      spans.push({ from: bodyStart + t.from, to: bodyStart + t.to, cls: SHELL_CLASS + t.kind });
    }
    let at = bodyStart;
    while (at <= text.length) {
      bodyLines.push(at);
      const nl = text.indexOf('\n', at);
      if (nl < 0) {
        break;
      }
      at = nl + 1;
    }
  }
  return { spans, cellMagic: true, magicLines: [first.from], bodyLines };
}

/** The line magics of a Python cell: `%docker_run` lines by the flag table, companion
 * magics' lines by shape (options start with `-`). */
function highlightLineMagics(text: string, table: FlagTable): ICellHighlight | null {
  const spans: ISpan[] = [];
  const magicLines: number[] = [];
  let from = 0;
  for (const line of text.slice(0, MAX_BODY).split('\n')) {
    const run = findMagic(line, 'line');
    if (run) {
      magicLines.push(from);
      for (const t of tokenizeMagicLine(line, table, run.start).tokens) {
        spans.push({ from: from + t.from, to: from + t.to, cls: MAGIC_CLASS + t.kind });
      }
    } else {
      const companion = findCompanionMagic(line);
      if (companion) {
        magicLines.push(from);
        splitWords(line, companion.start).forEach((word, i) => {
          const kind = i === 0 ? 'magic' : word.value.startsWith('-') && word.value.length > 1 ? 'flag' : 'arg';
          spans.push({ from: from + word.from, to: from + word.to, cls: MAGIC_CLASS + kind });
        });
      }
    }
    from += line.length + 1;
  }
  return magicLines.length ? { spans, cellMagic: false, magicLines, bodyLines: [] } : null;
}
