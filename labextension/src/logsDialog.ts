/** The logs dialog of a container (the side panel's Logs, and a reopened cell panel's). */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { api } from './api';
import { h } from './dom';

export const LOG_TAIL = 200;

/** What an empty log reads: the container has written nothing (yet). */
export const NO_OUTPUT = 'no output yet';

export async function showLogsDialog(id: string, label: string): Promise<void> {
  let body: Widget;
  try {
    const logs = await api.logs(id, LOG_TAIL);
    const pre = logs.logs
      ? h('pre', { class: 'rm-logs' }, logs.logs)
      : h('div', { class: 'rm-logs-empty' }, NO_OUTPUT);
    const note = logs.truncated ? h('div', { class: 'rm-sub' }, 'Cut to the last 512 KiB.') : null;
    body = new Widget({ node: h('div', { class: 'rm-logs-body' }, note, pre) });
  } catch (error) {
    body = new Widget({ node: h('div', { class: 'rm-error' }, (error as Error).message) });
  }
  await showDialog({
    title: `Logs of ${label} (last ${LOG_TAIL} lines)`,
    body,
    buttons: [Dialog.okButton({ label: 'Close' })]
  });
}
