/**
 * The Images view's explorer tab: a main-area widget that asks the server to analyse an
 * image (its explore route; the first analysis of a big image reads its whole export),
 * shows a progress indication meanwhile, then the explorer (the output renderer's widget).
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { Panel, Widget } from '@lumino/widgets';

import { api } from './api';
import { h } from './dom';
import { humanDuration } from './format';
import { IExplorerActions, ImageExplorer } from './imageExplorer';
import { imagesIcon } from './icons';
import { insertCodeCell } from './notebookCells';

class ExplorerContent extends Panel {
  private _waiting = new Widget();

  constructor(id: string, ref: string, actions: IExplorerActions) {
    super();
    this.addClass('rm-explorer-view');
    const started = Date.now();
    const elapsed = h('span', { class: 'rm-sub' });
    const progress = h('div', { class: 'rm-ex-progress', role: 'progressbar', 'aria-label': `Analysing ${ref}` });
    this._waiting.addClass('rm-ex-waiting');
    this._waiting.node.append(
      h('div', {}, 'Reading the layers of ', h('code', {}, ref), ' (its export, layer by layer)… ', elapsed),
      progress
    );
    this.addWidget(this._waiting);
    const timer = window.setInterval(() => {
      elapsed.textContent = humanDuration(Math.floor((Date.now() - started) / 1000));
    }, 1000);
    api
      .explore(id)
      .then(model => {
        const explorer = new ImageExplorer(actions);
        explorer.showModel(model);
        this._waiting.dispose();
        this.addWidget(explorer);
      })
      .catch(error => {
        progress.remove();
        this._waiting.node.append(h('div', { class: 'rm-error' }, `Could not explore ${ref}: ${(error as Error).message}`));
      })
      .finally(() => window.clearInterval(timer));
  }
}

/** The explorer tabs open, by image ID: exploring an image again shows its tab. */
const openViews = new Map<string, MainAreaWidget<Panel>>();

/** Show the explorer of the image `id` (named `ref` on its tab) in the main area. */
export function openExplorerView(shell: JupyterFrontEnd.IShell, id: string, ref: string, actions: IExplorerActions): void {
  let widget = openViews.get(id);
  if (!widget || widget.isDisposed) {
    widget = createExplorerView(id, ref, actions);
    openViews.set(id, widget);
    widget.disposed.connect(() => openViews.delete(id));
    shell.add(widget, 'main');
  }
  shell.activateById(widget.id);
}

function createExplorerView(id: string, ref: string, actions: IExplorerActions): MainAreaWidget<Panel> {
  const widget = new MainAreaWidget({ content: new ExplorerContent(id, ref, actions) });
  widget.id = `runmagic-explorer-${id.replace(/[^A-Za-z0-9]/g, '').slice(0, 24)}`;
  widget.title.label = `Image ${ref}`;
  widget.title.caption = `The image ${ref}: config, layers, filesystem, wasted space`;
  widget.title.icon = imagesIcon;
  widget.title.closable = true;
  return widget;
}

/**
 * The explorer's buttons acting on the current notebook: cells go below its active cell
 * (the notebook is activated first, as from the Images view), files into its folder.
 */
export function notebookExplorerActions(shell: JupyterFrontEnd.IShell, tracker: INotebookTracker): IExplorerActions {
  return {
    insertCell(source, cursor) {
      const panel = tracker.currentWidget;
      if (panel && shell.currentWidget !== panel) {
        shell.activateById(panel.id);
      }
      return insertCodeCell(tracker, source, cursor);
    },
    copyFolder() {
      const path = tracker.currentWidget?.context.path ?? '';
      return PathExt.dirname(path);
    }
  };
}
