/**
 * CodeMirror extensions for runmagic's magics: a ViewPlugin that colours a %%docker_run cell's
 * magic line and body, and the line magics of any other cell (decided from the document text
 * on every change, never from the cell's mimetype), and a hover tooltip with a flag's help.
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
import { describeFlag, FlagTable } from './flagTable';
import { companionMagicAt, flagAt } from './magicLine';

/** The hover text of a companion magic: the docker command it runs, and where its help is. */
export function companionHelp(magic: string): string {
  const command = magic.replace(/^%docker_/, 'docker ');
  return `${magic} [OPTIONS] ...\nRuns \`${command}\` through the engine's API, with the docker CLI's options and output.\n${magic}? shows its options.`;
}

/** Class on the editor element while its document is a %%docker_run cell. */
export const EDITOR_CLASS = 'rm-docker-run-cell';

function buildDecorations(view: EditorView, table: FlagTable): { set: DecorationSet; cellMagic: boolean } {
  const doc = view.state.doc;
  const result = highlightCell(doc.toString(), table);
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

/** The highlighting ViewPlugin (plus the editor class while the cell is a docker_run cell). */
export function dockerRunHighlighter(table: FlagTable): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      decorations: DecorationSet;
      cellMagic: boolean;
      constructor(view: EditorView) {
        ({ set: this.decorations, cellMagic: this.cellMagic } = buildDecorations(view, table));
      }
      update(update: ViewUpdate): void {
        if (update.docChanged) {
          ({ set: this.decorations, cellMagic: this.cellMagic } = buildDecorations(update.view, table));
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

/** Hover help: the flag's signature and help text, or the magic's usage. */
export function dockerRunHover(table: FlagTable): Extension {
  return hoverTooltip((view, pos) => {
    const doc = view.state.doc.toString();
    const hit = flagAt(doc, pos, table) ?? companionMagicAt(doc, pos);
    if (!hit) {
      return null;
    }
    const text =
      'magic' in hit && typeof hit.magic === 'string'
        ? companionHelp(hit.magic)
        : 'flag' in hit && hit.flag
          ? describeFlag(hit.flag)
          : `${table.usage.replace(/^docker run/, '%%docker_run')}\n${table.summary}`;
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
