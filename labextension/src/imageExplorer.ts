/**
 * The image explorer: the renderer of `application/vnd.runmagic.image-explorer` (the output
 * of `%docker_image inspect IMAGE`), also the content of the Images view's explorer tab.
 *
 * It shows the image's config, its layers in order (each expandable to the files it added,
 * modified and removed), the merged filesystem as a tree (each entry's size and the layer
 * that put it there; folders the model did not send are fetched from the server when
 * opened) and the wasted space with dive's efficiency score; and offers "Run a shell here",
 * "Insert a run cell" and "Copy a file out" (of the file selected in the tree).
 */
import { IRenderMime } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';

import { api } from './api';
import { h } from './dom';
import {
  changesSummary,
  childPath,
  configRows,
  EXPLORER_MIME,
  IChanges,
  IExplorerModel,
  ILayer,
  ITreeNode,
  layerLabel,
  parseExplorerModel,
  shortDigest,
  wasteSummary
} from './explorerModel';
import { formatSize } from './format';

/** Above the HTML renderer (rank 50 of the default factories): ours shows when installed. */
export const EXPLORER_RANK = 40;

/** What the explorer's buttons do outside it. */
export interface IExplorerActions {
  /**
   * Insert a code cell of `source` below the active cell of the current notebook, in edit
   * mode (`end`: the cursor after the text; `last-line`: the last line selected).
   * False when there is no notebook.
   */
  insertCell(source: string, cursor: 'end' | 'last-line'): boolean;
  /** The folder (relative to the server's root) "Copy a file out" writes into. */
  copyFolder(): string;
}

export function explorerRendererFactory(actions: IExplorerActions): IRenderMime.IRendererFactory {
  return {
    safe: true, // builds its DOM from text only: no HTML from the model is interpreted
    mimeTypes: [EXPLORER_MIME],
    defaultRank: EXPLORER_RANK,
    createRenderer: () => new ImageExplorer(actions)
  };
}

export class ImageExplorer extends Widget implements IRenderMime.IRenderer {
  private _model: IExplorerModel | null = null;
  private _selected: string | null = null;
  private _selectedRow: HTMLElement | null = null;
  private _message = h('div', { class: 'rm-ex-message', role: 'status' });
  private _selection = h('span', { class: 'rm-ex-selection' }, 'Select a file in the tree to copy it out.');
  private _copy = h(
    'button',
    { class: 'rm-button', 'data-action': 'copy', title: "Copy the selected file into the notebook's folder", disabled: '' },
    'Copy a file out'
  );

  constructor(private readonly _actions: IExplorerActions) {
    super();
    this.addClass('rm-image-explorer');
    this._copy.addEventListener('click', () => void this._copyOut());
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const parsed = parseExplorerModel(model.data[EXPLORER_MIME]);
    if (!parsed) {
      const text = model.data['text/plain'];
      this.node.replaceChildren(h('pre', {}, typeof text === 'string' ? text : 'An image explorer output runmagic cannot read.'));
      return;
    }
    this.showModel(parsed);
  }

  /** Show `model` (also used by the Images view's explorer tab). */
  showModel(model: IExplorerModel): void {
    this._model = model;
    this._selected = null;
    this._selectedRow = null;
    this.node.dataset.imageId = model.id;
    this._copy.disabled = true;
    this._message.textContent = '';
    this.node.replaceChildren(
      this._header(model),
      this._section('Config', 'config', this._config(model), true),
      this._section(`Layers (${model.layers.length})`, 'layers', this._layers(model), true),
      this._section('Filesystem', 'tree', this._tree(model), true),
      this._section('Wasted space', 'waste', this._waste(model), true)
    );
  }

  private _header(model: IExplorerModel): HTMLElement {
    const button = (action: string, text: string, title: string, run: () => void) => {
      const b = h('button', { class: 'rm-button', 'data-action': action, title }, text);
      b.addEventListener('click', run);
      return b;
    };
    return h(
      'div',
      { class: 'rm-ex-header' },
      h(
        'div',
        { class: 'rm-ex-title' },
        h('span', { class: 'rm-ex-ref' }, model.ref),
        h(
          'span',
          { class: 'rm-sub' },
          ` ${shortDigest(model.id)} · ${formatSize(model.waste.size_bytes)} · ${model.layers.length} layers`
        )
      ),
      h(
        'div',
        { class: 'rm-actions' },
        button('shell', 'Run a shell here', model.lines.shell, () => this._insert(model.lines.shell)),
        button('run', 'Insert a run cell', model.lines.run, () => this._insert(model.lines.run)),
        this._copy,
        this._selection
      ),
      this._message
    );
  }

  private _insert(source: string): void {
    if (this._actions.insertCell(source, 'end')) {
      this._say('');
    } else {
      this._say('Open a notebook first: the cell goes below its active cell.', true);
    }
  }

  private _say(text: string, error = false): void {
    this._message.textContent = text;
    this._message.classList.toggle('rm-error', error);
  }

  private _section(title: string, name: string, body: HTMLElement, open: boolean): HTMLElement {
    const section = h('details', { class: `rm-ex-section rm-ex-${name}`, 'data-section': name }, h('summary', {}, title), body);
    section.open = open;
    return section;
  }

  private _config(model: IExplorerModel): HTMLElement {
    const rows = configRows(model.config);
    if (!rows.length) {
      return h('div', { class: 'rm-empty' }, 'No config.');
    }
    return h(
      'table',
      { class: 'rm-ex-table' },
      ...rows.map(([label, value]) => h('tr', {}, h('th', {}, label), h('td', { class: 'rm-ex-mono' }, value)))
    );
  }

  private _layers(model: IExplorerModel): HTMLElement {
    return h('div', { class: 'rm-ex-layer-list' }, ...model.layers.map(layer => this._layer(layer)));
  }

  private _layer(layer: ILayer): HTMLElement {
    const body = h('div', { class: 'rm-ex-changes' });
    const details = h(
      'details',
      { class: 'rm-ex-layer', 'data-layer': String(layer.index) },
      h(
        'summary',
        {},
        h('span', { class: 'rm-ex-index' }, layerLabel(layer.index)),
        h('span', { class: 'rm-ex-size' }, formatSize(layer.size)),
        h('span', { class: 'rm-ex-digest', title: layer.digest }, shortDigest(layer.digest)),
        h('span', { class: 'rm-ex-command rm-ex-mono', title: layer.command }, layer.command || '(no instruction)'),
        h('span', { class: 'rm-ex-counts', title: 'added ~modified -removed' }, changesSummary(layer))
      ),
      body
    );
    // Big layers list many files: build their lists when the layer is first opened.
    details.addEventListener('toggle', () => {
      if (details.open && !body.childElementCount) {
        body.append(
          this._changes('Added', 'added', layer.added),
          this._changes('Modified', 'modified', layer.modified),
          this._changes('Removed', 'removed', layer.removed)
        );
      }
    });
    return details;
  }

  private _changes(title: string, kind: string, changes: IChanges): HTMLElement {
    const list = h('ul', { class: 'rm-ex-change-list', 'data-kind': kind });
    for (const item of changes.items) {
      list.append(
        h(
          'li',
          { 'data-path': item.path },
          h('span', { class: 'rm-ex-mono' }, item.dir ? `${item.path}/` : item.path),
          h('span', { class: 'rm-ex-size' }, formatSize(item.size))
        )
      );
    }
    const hidden = changes.count - changes.items.length;
    if (hidden > 0) {
      list.append(h('li', { class: 'rm-sub' }, `… and ${hidden} more`));
    }
    return h(
      'div',
      { class: `rm-ex-kind rm-ex-${kind}` },
      h('div', { class: 'rm-ex-kind-title' }, `${title}: ${changes.count} (${formatSize(changes.bytes)})`),
      changes.count ? list : ''
    );
  }

  private _tree(model: IExplorerModel): HTMLElement {
    const root = h('ul', { class: 'rm-ex-tree', role: 'tree' });
    this._treeLevel(root, '/', model.tree.children);
    return root;
  }

  private _treeLevel(list: HTMLElement, parent: string, nodes: ITreeNode[]): void {
    for (const node of nodes) {
      list.append(this._treeNode(childPath(parent, node.name), node));
    }
  }

  private _treeNode(path: string, node: ITreeNode): HTMLElement {
    const name = node.kind === 'dir' ? `${node.name}/` : node.name;
    const row = h(
      'div',
      { class: 'rm-ex-row', 'data-path': path, 'data-kind': node.kind },
      h('span', { class: 'rm-ex-name rm-ex-mono' }, name, node.target ? h('span', { class: 'rm-sub' }, ` → ${node.target}`) : ''),
      h('span', { class: 'rm-ex-size' }, formatSize(node.size)),
      h('span', { class: 'rm-ex-index', title: node.layer === null ? '' : `put there by layer ${node.layer}` }, layerLabel(node.layer))
    );
    const item = h('li', { role: 'treeitem' });
    if (node.kind !== 'dir') {
      row.tabIndex = 0;
      const select = () => this._select(path, row);
      row.addEventListener('click', select);
      row.addEventListener('keydown', event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      });
      item.append(row);
      return item;
    }
    const children = h('ul', { role: 'group' });
    const details = h('details', { class: 'rm-ex-dir' }, h('summary', {}, row), children);
    details.addEventListener('toggle', () => {
      if (details.open && !children.childElementCount) {
        void this._openFolder(path, node, children);
      }
    });
    item.append(details);
    return item;
  }

  private async _openFolder(path: string, node: ITreeNode, children: HTMLElement): Promise<void> {
    if (node.children) {
      this._treeLevel(children, path, node.children);
      return;
    }
    if (!node.more || !this._model) {
      return;
    }
    const waiting = h('li', { class: 'rm-sub' }, 'Loading…');
    children.append(waiting);
    try {
      node.children = await api.tree(this._model.id, path);
      waiting.remove();
      this._treeLevel(children, path, node.children);
    } catch (error) {
      waiting.textContent = `Could not list ${path}: ${(error as Error).message}`;
      waiting.classList.add('rm-error');
    }
  }

  private _select(path: string, row: HTMLElement): void {
    this._selectedRow?.classList.remove('rm-ex-selected');
    this._selected = path;
    this._selectedRow = row;
    row.classList.add('rm-ex-selected');
    this._selection.textContent = path;
    this._selection.dataset.path = path;
    this._copy.disabled = false;
  }

  private async _copyOut(): Promise<void> {
    if (!this._selected || !this._model) {
      return;
    }
    const folder = this._actions.copyFolder();
    this._say(`Copying ${this._selected}…`);
    try {
      const copied = await api.copyOut(this._model.id, this._selected, folder);
      this._say(`Copied ${this._selected} to ${copied.path} (${formatSize(copied.size)})`);
      this._message.dataset.copied = copied.path;
    } catch (error) {
      this._say(`Copy failed: ${(error as Error).message}`, true);
    }
  }

  private _waste(model: IExplorerModel): HTMLElement {
    const waste = model.waste;
    const figure = h(
      'div',
      { class: 'rm-ex-waste-figure', 'data-wasted-bytes': String(waste.wasted_bytes) },
      `${wasteSummary(waste)} · image ${formatSize(waste.size_bytes)}, ${formatSize(waste.user_size_bytes)} above the base layer`
    );
    if (!waste.files.length) {
      return h('div', {}, figure);
    }
    const table = h(
      'table',
      { class: 'rm-ex-table rm-ex-waste-files' },
      h('tr', {}, h('th', {}, 'Path'), h('th', {}, 'Copies'), h('th', {}, 'Total size'), h('th', {}, 'Layers'))
    );
    for (const file of waste.files) {
      table.append(
        h(
          'tr',
          { 'data-path': file.path },
          h('td', { class: 'rm-ex-mono' }, file.path),
          h('td', {}, String(file.count)),
          h('td', {}, formatSize(file.size)),
          h('td', {}, file.layers.map(layerLabel).join(' '))
        )
      );
    }
    const hidden = waste.count - waste.files.length;
    return h('div', {}, figure, table, hidden > 0 ? h('div', { class: 'rm-sub' }, `… and ${hidden} more`) : '');
  }
}
