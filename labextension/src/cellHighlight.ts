/**
 * What to colour in a cell: decided from the cell's text alone. A cell magic's cell
 * (`%%docker_run`, `%%docker_build`, ...) gets spans for its magic line (flags, values,
 * image, command) and, for `%%docker_run`, for its body (as shell); in any other cell, each
 * line magic's line (`%docker_run -d ...`, `x = %docker_volume ls -q`) gets the same spans,
 * read with its command's flag table; a cell with none gets nothing.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { cellMagicOf, findMagic, tokenizeMagicLine } from './magicLine';
import { MagicTables, RUN_MAGIC } from './magicTables';
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
  /** Whether the cell is a cell magic's (else: a cell with line magics). */
  cellMagic: boolean;
  /** Offsets of the starts of the magic lines and of each body line. */
  magicLines: number[];
  bodyLines: number[];
}

export function highlightCell(text: string, magics: MagicTables): ICellHighlight | null {
  const cell = cellMagicOf(text, magics);
  if (!cell) {
    return highlightLineMagics(text, magics);
  }
  const first = cell.line;
  const spans: ISpan[] = [];
  const { tokens } = tokenizeMagicLine(first.text, cell.spec.table, cell.start);
  for (const t of tokens) {
    spans.push({ from: first.from + t.from, to: first.from + t.to, cls: MAGIC_CLASS + t.kind });
  }
  const bodyLines: number[] = [];
  const bodyStart = first.to + 1;
  if (bodyStart <= text.length) {
    // A run cell's body is most often a script for the image's shell; the other cell
    // magics' bodies are data (stdin) or a Dockerfile: left plain.
    if (cell.spec.name === RUN_MAGIC) {
      const body = text.slice(bodyStart, bodyStart + MAX_BODY);
      for (const t of tokenizeShell(body)) {
        spans.push({ from: bodyStart + t.from, to: bodyStart + t.to, cls: SHELL_CLASS + t.kind });
      }
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

/** The line magics of a Python cell, each read with its command's flag table. */
function highlightLineMagics(text: string, magics: MagicTables): ICellHighlight | null {
  const spans: ISpan[] = [];
  const magicLines: number[] = [];
  let from = 0;
  for (const line of text.slice(0, MAX_BODY).split('\n')) {
    const hit = findMagic(line, magics, 'line');
    if (hit) {
      magicLines.push(from);
      for (const t of tokenizeMagicLine(line, hit.spec.table, hit.start).tokens) {
        spans.push({ from: from + t.from, to: from + t.to, cls: MAGIC_CLASS + t.kind });
      }
    }
    from += line.length + 1;
  }
  return magicLines.length ? { spans, cellMagic: false, magicLines, bodyLines: [] } : null;
}
