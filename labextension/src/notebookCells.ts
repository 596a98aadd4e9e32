/** Inserting cells into the current notebook. */
import { INotebookTracker, NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

import { runCellSource } from './format';

/**
 * Add a `%%docker_run --rm IMAGE` code cell (with a body placeholder) below the active cell
 * of the current notebook and leave the cursor in it, in edit mode, with the placeholder
 * selected: the next keystrokes are the container's input, not notebook commands.
 * Returns false without a notebook.
 */
export function insertRunCell(tracker: INotebookTracker, image: string): boolean {
  return insertCodeCell(tracker, runCellSource(image), 'last-line');
}

/**
 * Add a code cell of `source` below the active cell of the current notebook, in edit mode,
 * with the last line selected (`last-line`) or the cursor at the end (`end`).
 * Returns false without a notebook.
 */
export function insertCodeCell(tracker: INotebookTracker, source: string, cursor: 'last-line' | 'end'): boolean {
  const panel = tracker.currentWidget;
  return panel !== null && insertBelowActive(panel, source, cursor);
}

/**
 * Add a code cell of `source` below the cell whose output holds `node` (a button in it), in
 * edit mode with the cursor at the end: the user reads it, then runs it. Returns false when
 * `node` is in no notebook.
 */
export function insertCellBelowOutput(tracker: INotebookTracker, node: HTMLElement, source: string): boolean {
  const panel = tracker.find(notebookPanel => notebookPanel.node.contains(node));
  if (!panel) {
    return false;
  }
  const index = panel.content.widgets.findIndex(cell => cell.node.contains(node));
  if (index >= 0) {
    panel.content.activeCellIndex = index;
  }
  return insertBelowActive(panel, source, 'end');
}

function insertBelowActive(panel: NotebookPanel, source: string, cursor: 'last-line' | 'end'): boolean {
  const notebook = panel.content;
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  const cell = notebook.activeCell;
  if (!cell) {
    return false;
  }
  cell.model.sharedModel.setSource(source);
  // The new cell's editor exists once the cell is ready; the notebook's own activation
  // (a message handled on the next animation frame) would focus the notebook in command
  // mode: enter edit mode after both.
  void cell.ready.then(() =>
    requestAnimationFrame(() => {
      if (notebook.activeCell !== cell || !cell.editor) {
        return;
      }
      notebook.mode = 'edit';
      const lines = source.split('\n');
      const last = lines.length - 1;
      const end = { line: last, column: lines[last].length };
      cell.editor.setSelection({ start: cursor === 'end' ? end : { line: last, column: 0 }, end });
      cell.editor.focus();
    })
  );
  return true;
}
