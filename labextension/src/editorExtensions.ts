/**
 * CodeMirror extensions for runmagic's magics: a ViewPlugin that colours a cell magic's line
 * (and a %%docker_run cell's body), and the line magics of any other cell (decided from the
 * document text on every change, never from the cell's mimetype), and a hover tooltip with the
 * help of a flag, a magic or a subcommand.
 */
import { Extension, RangeSetBuilder } from '@codemirror/state';
import {
  Decoration,
  DecorationSet,
  EditorView,
  hoverTooltip,
  ViewPlugin,
  ViewUpdate
} from '@codemirror/view';

import { BODY_LINE_CLASS, highlightCell, MAGIC_LINE_CLASS } from './cellHighlight';
import { helpAt, helpText } from './magicLine';
import { MagicTables } from './magicTables';

/** Class on the editor element while its document is a cell magic's cell. */
export const EDITOR_CLASS = 'rm-docker-run-cell';

function buildDecorations(view: EditorView, magics: MagicTables): { set: DecorationSet; cellMagic: boolean } {
  const doc = view.state.doc;
  const result = highlightCell(doc.toString(), magics);
  if (!result) {
    return { set: Decoration.none, cellMagic: false };
  }
  type Entry = { from: number; to: number; deco: Decoration; line: boolean };
  const entries: Entry[] = [];
  const lineDeco = (cls: string) => Decoration.line({ class: cls });
  for (const at of result.magicLines) {
    entries.push({ from: at, to: at, deco: lineDeco(MAGIC_LINE_CLASS), line: true });
  }
  for (const at of result.bodyLines) {
    if (at <= doc.length) {
      entries.push({ from: at, to: at, deco: lineDeco(BODY_LINE_CLASS), line: true });
    }
  }
  for (const span of result.spans) {
    if (span.to > span.from && span.to <= doc.length) {
      entries.push({ from: span.from, to: span.to, deco: Decoration.mark({ class: span.cls }), line: false });
    }
  }
  // RangeSetBuilder needs ranges sorted by start; line decorations first at equal starts.
  entries.sort((a, b) => a.from - b.from || Number(b.line) - Number(a.line));
  const builder = new RangeSetBuilder<Decoration>();
  for (const e of entries) {
    builder.add(e.from, e.to, e.deco);
  }
  return { set: builder.finish(), cellMagic: result.cellMagic };
}

/** The highlighting ViewPlugin (plus the editor class while the cell is a cell magic's). */
export function magicHighlighter(magics: MagicTables): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      cellMagic: boolean;
      constructor(view: EditorView) {
        ({ set: this.decorations, cellMagic: this.cellMagic } = buildDecorations(view, magics));
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) {
          ({ set: this.decorations, cellMagic: this.cellMagic } = buildDecorations(update.view, magics));
        }
      }
    },
    {
      decorations: v => v.decorations,
      // The editor's class attribute belongs to CodeMirror: add ours through its facet.
      provide: p =>
        EditorView.editorAttributes.of(view => {
          const value = view.plugin(p);
          return value && value.cellMagic ? { class: EDITOR_CLASS } : null;
        })
    }
  );
  return plugin;
}

/** Hover help: a flag's signature and help text, or a magic's (or subcommand's) usage. */
export function magicHover(magics: MagicTables): Extension {
  return hoverTooltip((view, pos) => {
    const hit = helpAt(view.state.doc.toString(), pos, magics);
    if (!hit) {
      return null;
    }
    const text = helpText(hit);
    return {
      pos: hit.from,
      end: hit.to,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'rm-flag-tooltip';
        const [head, ...rest] = text.split('\n');
        const title = document.createElement('div');
        title.className = 'rm-flag-tooltip-signature';
        title.textContent = head;
        dom.appendChild(title);
        for (const line of rest) {
          const p = document.createElement('div');
          p.textContent = line;
          dom.appendChild(p);
        }
        return { dom };
      }
    };
  });
}
