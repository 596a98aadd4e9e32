/**
 * The renderer of a terminal descriptor (`application/vnd.runmagic.terminal+json`, see
 * terminalProtocol.ts): while the session is live, an xterm.js terminal wired to runmagic's
 * server websocket, its size following the output area (the container's TTY is resized to
 * match); once the kernel says the session ended, the transcript it saved (text/plain).
 *
 * While the terminal has focus every key is the TTY's: the node carries lumino's
 * `data-lm-suppress-shortcuts`, and keydown events stop there, so no notebook shortcut fires
 * (Ctrl-C is ^C, as in a terminal; copy and paste go through xterm's selection and paste).
 */
import { ServerConnection } from '@jupyterlab/services';
import { IRenderMime } from '@jupyterlab/rendermime';
import { Widget } from '@lumino/widgets';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';

import { h } from './dom';
import {
  endLine,
  ITerminalDescriptor,
  parseDescriptor,
  parseServerMessage,
  resizeMessage,
  socketUrl,
  TERMINAL_MIME
} from './terminalProtocol';

export const TERMINAL_RANK = 0;

export const terminalRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [TERMINAL_MIME],
  defaultRank: TERMINAL_RANK,
  createRenderer: () => new TerminalOutput()
};

export class TerminalOutput extends Widget implements IRenderMime.IRenderer {
  private _term: Terminal | null = null;
  private _fit: FitAddon | null = null;
  private _socket: WebSocket | null = null;
  private _session = '';
  private _resizeObserver: ResizeObserver | null = null;
  private _host = h('div', { class: 'rm-terminal-host', 'data-lm-suppress-shortcuts': 'true' });
  private _status = h('div', { class: 'rm-terminal-status' });
  private _saved = h('pre', { class: 'rm-terminal-transcript' });

  constructor() {
    super();
    this.addClass('rm-terminal-output');
    this.node.append(this._host, this._status, this._saved);
    // Keys typed into the terminal are the container's, never the notebook's.
    for (const type of ['keydown', 'keypress', 'keyup']) {
      this._host.addEventListener(type, event => event.stopPropagation());
    }
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const d = parseDescriptor(model.data[TERMINAL_MIME]);
    const text = model.data['text/plain'];
    if (!d || d.state !== 'live') {
      this._close();
      this.node.dataset.state = d?.state ?? 'exited';
      this._host.hidden = true;
      this._saved.hidden = false;
      this._saved.textContent = typeof text === 'string' ? text : '';
      this._status.textContent = d
        ? endLine({ kind: 'ended', how: d.state === 'detached' ? 'detached' : 'exited', status: d.status ?? null }, d.name)
        : '';
      return;
    }
    const session = `${d.container}/${d.exec}`;
    this._saved.hidden = true;
    this._host.hidden = false;
    this.node.dataset.state = 'live';
    this.node.dataset.container = d.container;
    if (session === this._session && this._term) {
      return;
    }
    this._close();
    this._session = session;
    this._open(d);
  }

  /** The xterm, for tests and the benchmark (exposed on the node). */
  get terminal(): Terminal | null {
    return this._term;
  }

  private _open(d: ITerminalDescriptor): void {
    const term = new Terminal({
      rows: 24,
      cols: 80,
      convertEol: false,
      cursorBlink: true,
      fontFamily: 'var(--jp-code-font-family, monospace)',
      fontSize: 13,
      scrollback: 5000
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    this._term = term;
    this._fit = fit;
    term.open(this._host);
    (this._host as unknown as { rmTerminal: Terminal }).rmTerminal = term;
    this._fitNow();
    const settings = ServerConnection.makeSettings();
    const socket = new WebSocket(socketUrl(settings.wsUrl, d, { rows: term.rows, cols: term.cols }, settings.token));
    socket.binaryType = 'arraybuffer';
    this._socket = socket;
    const encoder = new TextEncoder();
    socket.onmessage = event => {
      if (typeof event.data === 'string') {
        const message = parseServerMessage(event.data);
        const line = endLine(message, d.name);
        if (line) {
          this._status.textContent = line;
          this.node.dataset.ended = message.kind === 'ended' ? message.how : 'error';
        }
        return;
      }
      term.write(new Uint8Array(event.data as ArrayBuffer));
    };
    socket.onopen = () => {
      this.node.dataset.connected = 'true';
    };
    socket.onclose = () => {
      this.node.dataset.connected = 'false';
      term.options.disableStdin = true;
    };
    term.onData(data => {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(encoder.encode(data));
      }
    });
    term.onBinary(data => {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(Uint8Array.from(data, c => c.charCodeAt(0)));
      }
    });
    term.onResize(({ rows, cols }) => {
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(resizeMessage(rows, cols));
      }
    });
    if (typeof ResizeObserver !== 'undefined') {
      this._resizeObserver = new ResizeObserver(() => this._fitNow());
      this._resizeObserver.observe(this._host);
    }
    term.focus();
  }

  private _fitNow(): void {
    if (!this._fit || !this._host.isConnected || this._host.clientWidth === 0) {
      return;
    }
    try {
      this._fit.fit();
    } catch {
      // not laid out yet: the observer calls again
    }
  }

  protected onAfterAttach(): void {
    this._fitNow();
  }

  private _close(): void {
    this._resizeObserver?.disconnect();
    this._resizeObserver = null;
    this._socket?.close();
    this._socket = null;
    this._term?.dispose();
    this._term = null;
    this._fit = null;
    this._session = '';
    this._host.replaceChildren();
  }

  dispose(): void {
    this._close();
    super.dispose();
  }
}
