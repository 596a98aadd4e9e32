/**
 * The terminal descriptor a kernel publishes and the websocket protocol of runmagic's server
 * (runmagic/server/terminals.py): pure helpers, unit-tested.
 *
 * Binary frames carry the TTY's bytes both ways; text frames are JSON: `{"resize": [rows, cols]}`
 * from the browser, `{"ended": "exited"|"detached", "status": N}` or `{"error": message}` from
 * the server.
 */

import { jsonObject } from './jsonObject';

export const TERMINAL_MIME = 'application/vnd.runmagic.terminal+json';
/** Key of the execute request metadata that tells a kernel this frontend renders terminals. */
export const METADATA_KEY = 'runmagic';

export type TerminalState = 'live' | 'exited' | 'detached';

export interface ITerminalDescriptor {
  container: string;
  name: string;
  exec: string;
  detachKeys: string;
  state: TerminalState;
  status?: number;
}

/** The descriptor of an output's data (an object, or JSON text should a frontend stringify it). */
export function parseDescriptor(value: unknown): ITerminalDescriptor | null {
  const d = jsonObject(value);
  if (!d) {
    return null;
  }
  if (typeof d.container !== 'string' || !d.container) {
    return null;
  }
  const state = d.state === 'exited' || d.state === 'detached' ? d.state : 'live';
  return {
    container: d.container,
    name: typeof d.name === 'string' ? d.name : d.container.slice(0, 12),
    exec: typeof d.exec === 'string' ? d.exec : '',
    detachKeys: typeof d.detachKeys === 'string' ? d.detachKeys : '',
    state,
    ...(typeof d.status === 'number' ? { status: d.status } : {})
  };
}

/** The websocket address for a descriptor, under the server's `wsUrl` (with a trailing slash). */
export function socketUrl(
  wsUrl: string,
  d: ITerminalDescriptor,
  size: { rows: number; cols: number },
  token = ''
): string {
  const query = new URLSearchParams({ container: d.container });
  if (d.exec) {
    query.set('exec', d.exec);
  }
  if (d.detachKeys) {
    query.set('detachKeys', d.detachKeys);
  }
  query.set('rows', String(size.rows));
  query.set('cols', String(size.cols));
  if (token) {
    query.set('token', token);
  }
  const base = wsUrl.endsWith('/') ? wsUrl : `${wsUrl}/`;
  return `${base}runmagic/terminals/socket?${query.toString()}`;
}

export function resizeMessage(rows: number, cols: number): string {
  return JSON.stringify({ resize: [rows, cols] });
}

export type ServerMessage =
  | { kind: 'ended'; how: 'exited' | 'detached'; status: number | null }
  | { kind: 'error'; message: string }
  | { kind: 'unknown' };

export function parseServerMessage(text: string): ServerMessage {
  const d = jsonObject(text);
  if (!d) {
    return { kind: 'unknown' };
  }
  if (typeof d.error === 'string') {
    return { kind: 'error', message: d.error };
  }
  if (d.ended === 'exited' || d.ended === 'detached') {
    return { kind: 'ended', how: d.ended, status: typeof d.status === 'number' ? d.status : null };
  }
  return { kind: 'unknown' };
}

/** The line shown under a terminal whose session ended. */
export function endLine(m: ServerMessage, name: string): string {
  if (m.kind === 'error') {
    return m.message;
  }
  if (m.kind === 'ended' && m.how === 'detached') {
    return `Detached: ${name} keeps running (%docker_attach ${name} to come back)`;
  }
  if (m.kind === 'ended') {
    return m.status === null ? 'The session ended' : `The session ended (exit status ${m.status})`;
  }
  return '';
}
