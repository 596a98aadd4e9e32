/**
 * The renderer of a container's cell output (`application/vnd.runmagic.container`, JSON
 * text: `{"id": ..., "ports": [{"port": "80/tcp", "host": "127.0.0.1:49153"}]}`), which the magics put in one bundle with the live ipywidget and the
 * summary (text/html, text/plain):
 *
 * - while the widget's model lives (its kernel runs), the ipywidget, nothing else;
 * - otherwise (a reload after a kernel restart, a notebook opened later) the saved summary,
 *   never the widget manager's "model not found"; and while the server extension sees the
 *   container, its panel brought back to life: state, ports, actions, refreshed while the
 *   output is on screen.
 *
 * A button in either panel carrying `data-runmagic-insert-cell` (a detached TTY container's
 * Attach: `%docker_attach NAME`) inserts that cell below this output's cell: a widget's click
 * reaches only the kernel, which can add no cell, and runs nothing while a cell runs.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { IRenderMime, IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import { Panel, Widget } from '@lumino/widgets';

import { api, APIError, IContainerPanel } from './api';
import { h } from './dom';
import { showLogsDialog } from './logsDialog';
import { jsonObject } from './jsonObject';

export const CONTAINER_MIME = 'application/vnd.runmagic.container';
export const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';
/** Before the ipywidgets renderer (-10): this one decides whether the widget can show. */
export const CONTAINER_RANK = -20;
/** Seconds between refreshes of a revived panel while it is on screen. */
const REFRESH_SECONDS = 5;
const STOPPABLE = ['running', 'restarting', 'paused'];

/**
 * The factory; `rendermime` is the notebook's (it holds the ipywidgets renderer with the
 * notebook's widget manager), or null where there is none.
 */
export function containerRendererFactory(
  rendermime: IRenderMimeRegistry | null,
  insertCell: InsertCell | null = null
): IRenderMime.IRendererFactory {
  return {
    safe: true, // the saved HTML goes through the sanitizer; the live HTML is our server's
    mimeTypes: [CONTAINER_MIME],
    defaultRank: CONTAINER_RANK,
    createRenderer: options => new ContainerOutput(options, rendermime, insertCell)
  };
}

/** Inserts a cell of `source` below the cell whose output holds `node`. */
export type InsertCell = (node: HTMLElement, source: string) => void;

/** The attribute naming the cell a panel's button inserts. */
export const INSERT_CELL_ATTRIBUTE = 'data-runmagic-insert-cell';

type Mode = 'widget' | 'saved' | 'revived';

interface IContainerData {
  id?: string;
  ports?: { port: string; host: string }[];
}

/** The output's container data: JSON text (an object too, should a frontend parse it). */
export function parseContainer(value: unknown): IContainerData {
  return (jsonObject(value) ?? {}) as IContainerData;
}

export class ContainerOutput extends Panel implements IRenderMime.IRenderer {
  private _widget: IRenderMime.IRenderer | null = null;
  private _static = new Widget();
  private _saved = h('div', { class: 'rm-saved' });
  private _live = h('div', { class: 'rm-revived-panel' });
  private _message = h('div', { class: 'rm-revived-message' });
  private _actions = h('div', { class: 'rm-actions' });
  private _id = '';
  private _lastPorts: string[] = [];
  private _timer: number | undefined;
  private _observer: MutationObserver | null = null;
  private _visibility: IntersectionObserver | null = null;
  private _onScreen = false;

  constructor(
    private readonly _options: IRenderMime.IRendererOptions,
    private readonly _rendermime: IRenderMimeRegistry | null,
    private readonly _insertCell: InsertCell | null = null
  ) {
    super();
    this.addClass('rm-container-output');
    this.node.addEventListener('click', event => this._onClick(event));
    this._static.addClass('rm-container-static');
    this._static.node.append(this._saved, this._live, this._actions, this._message);
    this.addWidget(this._static);
  }

  private _onClick(event: MouseEvent): void {
    const button = (event.target as Element | null)?.closest?.(`[${INSERT_CELL_ATTRIBUTE}]`);
    const source = button?.getAttribute(INSERT_CELL_ATTRIBUTE);
    if (!source || !this._insertCell || !this.node.contains(button as Node)) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    this._insertCell(this.node, source);
  }

  get mode(): Mode {
    return (this.node.dataset.mode as Mode) || 'saved';
  }

  /** The widget may draw while a request is under way: ask again after every await. */
  private _showsWidget(): boolean {
    return this.mode === 'widget';
  }

  private _setMode(mode: Mode): void {
    this.node.dataset.mode = mode;
    if (this._widget) {
      this._widget.setHidden(mode !== 'widget');
    }
    this._static.setHidden(mode === 'widget');
    this._saved.hidden = mode !== 'saved';
    this._live.hidden = mode !== 'revived';
    this._actions.hidden = mode !== 'revived';
    if (mode === 'widget') {
      this._stopRefreshing();
    }
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = parseContainer(model.data[CONTAINER_MIME]);
    this._id = String(data.id || '');
    this._lastPorts = (Array.isArray(data.ports) ? data.ports : []).map(p => `${p.port}@${p.host}`);
    this.node.dataset.containerId = this._id;
    const html = model.data['text/html'];
    const text = model.data['text/plain'];
    if (typeof html === 'string') {
      this._saved.innerHTML = this._options.sanitizer.sanitize(html);
    } else {
      this._saved.replaceChildren(h('pre', {}, typeof text === 'string' ? text : ''));
    }
    this._setMode('saved');
    await this._renderWidget(model);
    if (this.mode !== 'widget') {
      this._startRefreshing();
    }
  }

  /** Render the ipywidget hidden; show it only once it has drawn a view. */
  private async _renderWidget(model: IRenderMime.IMimeModel): Promise<void> {
    this._observer?.disconnect();
    if (this._widget) {
      this._widget.dispose();
      this._widget = null;
    }
    const view = model.data[WIDGET_MIME];
    if (!view || !this._rendermime || !this._rendermime.getFactory(WIDGET_MIME)) {
      return;
    }
    const widget = this._rendermime.createRenderer(WIDGET_MIME);
    this._widget = widget;
    widget.setHidden(true);
    this.insertWidget(0, widget);
    const drawn = () => widget.node.firstElementChild !== null;
    // A widget manager still restoring draws later; one whose model is gone never does.
    this._observer = new MutationObserver(() => {
      if (drawn() && this._widget === widget) {
        this._setMode('widget');
      }
    });
    this._observer.observe(widget.node, { childList: true });
    try {
      await widget.renderModel(
        new MimeModel({ data: { [WIDGET_MIME]: view }, metadata: model.metadata, trusted: model.trusted })
      );
    } catch {
      return;
    }
    if (drawn() && this._widget === widget) {
      this._setMode('widget');
    }
  }

  protected onAfterAttach(): void {
    if (typeof IntersectionObserver !== 'undefined') {
      this._visibility = new IntersectionObserver(entries => {
        this._onScreen = entries.some(e => e.isIntersecting);
        if (this._onScreen && this.mode !== 'widget') {
          void this.refresh();
        }
      });
      this._visibility.observe(this.node);
    } else {
      this._onScreen = true;
    }
  }

  protected onBeforeDetach(): void {
    this._visibility?.disconnect();
    this._visibility = null;
    this._onScreen = false;
  }

  dispose(): void {
    this._stopRefreshing();
    this._observer?.disconnect();
    this._visibility?.disconnect();
    super.dispose();
  }

  private _startRefreshing(): void {
    this._stopRefreshing();
    if (!this._id) {
      return;
    }
    void this.refresh();
    this._timer = window.setInterval(() => {
      if (this._onScreen) {
        void this.refresh();
      }
    }, REFRESH_SECONDS * 1000);
  }

  private _stopRefreshing(): void {
    if (this._timer !== undefined) {
      window.clearInterval(this._timer);
      this._timer = undefined;
    }
  }

  /** Ask the server for the container: alive, its panel; gone, the saved summary. */
  async refresh(): Promise<void> {
    if (!this._id || this._showsWidget() || this.isDisposed) {
      return;
    }
    let panel: IContainerPanel;
    try {
      panel = await api.panel(this._id, this._lastPorts);
    } catch (error) {
      if (error instanceof APIError && error.status === 404) {
        this._stopRefreshing(); // removed: the summary is all there is
      }
      if (!this._showsWidget()) {
        this._setMode('saved');
      }
      return;
    }
    if (this._showsWidget() || this.isDisposed) {
      return;
    }
    this._live.innerHTML = panel.html; // the server's escaped HTML, as the kernel's panel
    this._renderActions(panel);
    this.node.dataset.state = panel.state;
    this._setMode('revived');
  }

  private _renderActions(panel: IContainerPanel): void {
    const label = panel.name || panel.short_id;
    const button = (action: string, text: string, title: string, run: () => Promise<unknown>) => {
      const b = h('button', { class: `rm-button rm-action-${action}`, 'data-action': action, title }, text);
      b.addEventListener('click', () => void this._act(text, run));
      return b;
    };
    this._actions.replaceChildren(
      ...(STOPPABLE.includes(panel.state)
        ? [button('stop', 'Stop', 'docker stop', () => api.stop(panel.id))]
        : []),
      button('restart', 'Restart', 'docker restart', () => api.restart(panel.id)),
      button('remove', 'Remove', 'docker rm -f', async () => {
        const answer = await showDialog({
          title: 'Remove container',
          body: `Remove ${label}?${panel.state === 'running' ? ' It is running: it is killed first.' : ''}`,
          buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Remove' })]
        });
        if (answer.button.accept) {
          await api.remove(panel.id, true);
        }
      }),
      button('logs', 'Logs', 'docker logs --tail 200', () => showLogsDialog(panel.id, label))
    );
  }

  private async _act(verb: string, run: () => Promise<unknown>): Promise<void> {
    this._message.textContent = `${verb}…`;
    this._message.classList.remove('rm-error');
    try {
      await run();
      this._message.textContent = '';
    } catch (error) {
      this._message.textContent = `${verb} failed: ${(error as Error).message}`;
      this._message.classList.add('rm-error');
    }
    await this.refresh();
  }
}
