/**
 * What to colour in a cell: decided from the cell's text alone. A `%%docker_run` cell gets
 * spans for its magic line (flags, values, image, command) and for its body (as shell); any
 * other cell gets none.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { FlagTable } from './flagTable';
import { findMagic, firstCodeLine, tokenizeMagicLine } from './magicLine';
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
  /** Offsets of the starts of the magic line and of each body line. */
  magicLine: number;
  bodyLines: number[];
}

export function highlightCell(text: string, table: FlagTable): ICellHighlight | null {
  const first = firstCodeLine(text);
  if (!first) {
    return null;
  }
  const magic = findMagic(first.text, 'cell');
  if (!magic) {
    return null;
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
  return { spans, magicLine: first.from, bodyLines };
}
