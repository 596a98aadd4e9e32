/**
 * The Containers side panel: the engine's containers (started from notebooks, or all), their
 * state, image and ports (as links), with Stop / Restart / Remove / Logs and, for a running one,
 * Open terminal (a `%docker_exec -it NAME sh` cell in the current notebook), refreshed on a timer
 * while the panel is visible. The header names the server's engine.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';

import { api, APIError, ContainerFilter, IContainer } from './api';
import { h } from './dom';
import { engineDownLine, engineLine, formatAge, portLink } from './format';
import { LOG_TAIL, showLogsDialog } from './logsDialog';
import { RefreshingPanel } from './refreshingPanel';

export interface IContainersPanelOptions {
  filter: ContainerFilter;
  /** Seconds between refreshes; 0 turns automatic refresh off. */
  refreshInterval: number;
  /** Called with a running container's name when "Open terminal" is clicked. */
  openTerminal: (name: string) => void;
}

type Action = 'stop' | 'restart' | 'remove' | 'logs' | 'terminal';

export class ContainersPanel extends RefreshingPanel {
  private _filter: ContainerFilter;
  private _busy = new Map<string, Action>();
  private _list: HTMLElement;
  private _status: HTMLElement;
  private _engine: HTMLElement;
  private _openTerminal: (name: string) => void;
  private _select: HTMLSelectElement;
  private _loading = false;
  private _again = false;

  constructor(options: IContainersPanelOptions) {
    super(options.refreshInterval);
    this.id = 'runmagic-containers';
    this.addClass('rm-panel');
    this.addClass('rm-containers-panel');
    this.title.caption = 'Docker containers';
    this._filter = options.filter;
    this._openTerminal = options.openTerminal;

    this._select = h(
      'select',
      { class: 'rm-filter', 'aria-label': 'Which containers' },
      h('option', { value: 'notebook' }, 'Started from notebooks'),
      h('option', { value: 'all' }, 'All containers')
    );
    this._select.value = this._filter;
    this._select.addEventListener('change', () => {
      this._filter = this._select.value as ContainerFilter;
      void this.refresh();
    });
    const refresh = h('button', { class: 'rm-button rm-refresh', title: 'Refresh now' }, 'Refresh');
    refresh.addEventListener('click', () => void this.refresh());
    this._status = h('div', { class: 'rm-status', role: 'status' });
    this._list = h('div', { class: 'rm-list' });
    this._engine = h('div', { class: 'rm-engine' });
    this.node.append(
      h('div', { class: 'rm-header' }, h('h2', {}, 'Containers'), this._select, refresh),
      this._engine,
      this._status,
      this._list
    );
  }

  get filter(): ContainerFilter {
    return this._filter;
  }

  set filter(value: ContainerFilter) {
    this._filter = value;
    this._select.value = value;
    void this.refresh();
  }

  /** Fetch and show the containers (one request at a time; a request during one is queued). */
  async refresh(): Promise<void> {
    if (this._loading) {
      this._again = true;
      return;
    }
    this._loading = true;
    try {
      const page = await api.containers(this._filter);
      this._engine.textContent = engineLine(page.engine);
      this._engine.dataset.default = String(page.engine.default);
      this._render(page.containers);
      this._status.textContent = '';
      this._status.classList.remove('rm-error');
    } catch (error) {
      // An engine outage is one line; the list stays as it was until the engine answers.
      this._error(
        error instanceof APIError && error.engineDown
          ? engineDownLine(error.message)
          : `Could not list containers: ${(error as Error).message}`
      );
    } finally {
      this._loading = false;
      if (this._again) {
        this._again = false;
        void this.refresh();
      }
    }
  }

  private _error(message: string): void {
    this._status.textContent = message;
    this._status.classList.add('rm-error');
  }

  private _render(containers: IContainer[]): void {
    this._list.replaceChildren();
    if (!containers.length) {
      this._list.append(
        h(
          'div',
          { class: 'rm-empty' },
          this._filter === 'notebook'
            ? 'No containers started from notebooks.'
            : 'No containers.'
        )
      );
      return;
    }
    for (const c of containers) {
      this._list.append(this._item(c));
    }
  }

  private _item(c: IContainer): HTMLElement {
    const busy = this._busy.get(c.id);
    const ports = h('div', { class: 'rm-ports' });
    for (const port of c.ports) {
      const { text, href } = portLink(port);
      ports.append(
        href
          ? h('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'rm-port' }, text)
          : h('span', { class: 'rm-port' }, text)
      );
    }
    const actions = h('div', { class: 'rm-actions' });
    const running = ['running', 'restarting', 'paused'].includes(c.state);
    const button = (action: Action, label: string, title: string, show = true) => {
      if (!show) {
        return;
      }
      const b = h(
        'button',
        { class: `rm-button rm-action-${action}`, 'data-action': action, title },
        busy === action ? `${label}…` : label
      );
      b.disabled = busy !== undefined && action !== 'logs' && action !== 'terminal';
      b.addEventListener('click', () => void this._act(action, c));
      actions.append(b);
    };
    button('stop', 'Stop', 'Stop the container (SIGTERM, then SIGKILL)', running);
    button('restart', 'Restart', 'Restart the container');
    button('remove', 'Remove', 'Remove the container (force: a running one is killed)');
    button('logs', 'Logs', `Show the last ${LOG_TAIL} lines of its output`);
    button(
      'terminal',
      'Open terminal',
      `Insert a %docker_exec -it ${c.name || c.short_id} sh cell in the current notebook`,
      c.state === 'running'
    );

    return h(
      'div',
      {
        class: `rm-item rm-container rm-state-${c.state}`,
        'data-id': c.id,
        'data-name': c.name,
        'data-state': c.state
      },
      h(
        'div',
        { class: 'rm-item-head' },
        h('span', { class: 'rm-name', title: c.id }, c.name || c.short_id),
        h('span', { class: `rm-badge rm-badge-${c.state}`, title: c.status }, c.state)
      ),
      h('div', { class: 'rm-sub', title: c.command }, h('span', { class: 'rm-image' }, c.image), ` · ${c.short_id}`),
      h('div', { class: 'rm-sub' }, `${c.status} · created ${formatAge(c.created)}`),
      c.ports.length ? ports : null,
      actions
    );
  }

  private async _act(action: Action, c: IContainer): Promise<void> {
    const label = c.name || c.short_id;
    if (action === 'logs') {
      return this._showLogs(c);
    }
    if (action === 'terminal') {
      return this._openTerminal(c.name || c.id);
    }
    if (action === 'remove') {
      const answer = await showDialog({
        title: 'Remove container',
        body: `Remove ${label}${c.state === 'running' ? ' (running: it is killed first)' : ''}?`,
        buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Remove' })]
      });
      if (!answer.button.accept) {
        return;
      }
    }
    this._busy.set(c.id, action);
    void this.refresh();
    let failure = '';
    try {
      if (action === 'stop') {
        await api.stop(c.id);
      } else if (action === 'restart') {
        await api.restart(c.id);
      } else {
        await api.remove(c.id, true);
      }
    } catch (error) {
      failure = `${action} ${label}: ${(error as Error).message}`;
    } finally {
      this._busy.delete(c.id);
      await this.refresh();
      if (failure) {
        this._error(failure);
      }
    }
  }

  private _showLogs(c: IContainer): Promise<void> {
    return showLogsDialog(c.id, c.name || c.short_id);
  }
}
