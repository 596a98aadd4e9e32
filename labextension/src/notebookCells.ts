/** Inserting a run cell into the current notebook. */
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

import { runCellSource } from './format';

/**
 * Add a `%%docker_run --rm IMAGE` code cell (with a body placeholder) below the active cell
 * of the current notebook and leave the cursor in it, in edit mode, with the placeholder
 * selected: the next keystrokes are the container's input, not notebook commands.
 * Returns false without a notebook.
 */
export function insertRunCell(tracker: INotebookTracker, image: string): boolean {
  const panel = tracker.currentWidget;
  if (!panel) {
    return false;
  }
  const notebook = panel.content;
  NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  const cell = notebook.activeCell;
  if (!cell) {
    return false;
  }
  const source = runCellSource(image);
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
      cell.editor.setSelection({
        start: { line: last, column: 0 },
        end: { line: last, column: lines[last].length }
      });
      cell.editor.focus();
    })
  );
  return true;
}
