/** Inserting a run cell into the current notebook. */
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';

import { runCellSource } from './format';

/**
 * Add a `%%docker_run --rm IMAGE` code cell (with a body placeholder) below the active cell
 * of the current notebook, and make it the active cell. Returns false without a notebook.
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
  cell.model.sharedModel.setSource(runCellSource(image));
  return true;
}
