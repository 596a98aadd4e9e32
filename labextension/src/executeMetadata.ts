/**
 * Tells kernels that this frontend renders runmagic's live terminals: every execute request a
 * notebook sends carries `{"runmagic": {"terminals": 1, "engine": HOST}}` in its metadata,
 * HOST being the engine runmagic's server bridges terminals to (GET runmagic/terminals).
 * A kernel whose cell asks for `-it` reads it from its parent message: with it, a live terminal;
 * without it (another frontend, nbclient, another engine), the line mode.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, ServerConnection } from '@jupyterlab/services';

import { METADATA_KEY } from './terminalProtocol';

/** The engine the server bridges terminals to; null when the server extension is absent. */
export async function terminalEngine(): Promise<string | null> {
  const settings = ServerConnection.makeSettings();
  try {
    const response = await ServerConnection.makeRequest(
      URLExt.join(settings.baseUrl, 'runmagic', 'terminals'),
      {},
      settings
    );
    if (!response.ok) {
      return null;
    }
    const data = await response.json();
    return typeof data.engine === 'string' ? data.engine : null;
  } catch {
    return null;
  }
}

const tagged = new WeakSet<Kernel.IKernelConnection>();

function tag(kernel: Kernel.IKernelConnection | null | undefined, engine: string): void {
  if (!kernel || tagged.has(kernel)) {
    return;
  }
  tagged.add(kernel);
  const send = kernel.requestExecute.bind(kernel);
  kernel.requestExecute = (content, disposeOnDone, metadata) =>
    send(content, disposeOnDone, { ...(metadata ?? {}), [METADATA_KEY]: { terminals: 1, engine } });
}

/** Tag the kernels of every notebook, present and future. */
export function tagNotebookKernels(tracker: INotebookTracker, engine: string): void {
  const follow = (panel: NotebookPanel) => {
    tag(panel.sessionContext.session?.kernel, engine);
    panel.sessionContext.kernelChanged.connect((_s, change) => tag(change.newValue, engine));
  };
  tracker.forEach(panel => follow(panel));
  tracker.widgetAdded.connect((_t, panel) => follow(panel));
}
