/**
 * The runmagic server extension's REST API (runmagic/server), through Jupyter's
 * ServerConnection: the same auth and XSRF handling as every JupyterLab request.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { IExplorerModel, ITreeNode } from './explorerModel';
import { IPort } from './format';

export type ContainerFilter = 'notebook' | 'all';

export interface IContainer {
  id: string;
  short_id: string;
  name: string;
  image: string;
  command: string;
  created: number;
  state: string;
  status: string;
  ports: IPort[];
  notebook: boolean;
}

/** The engine the server talks to: its address (and context), and whether it is the default one. */
export interface IEngine {
  description: string;
  default: boolean;
}

/** A page of containers, and the engine they are on. */
export interface IContainerPage {
  containers: IContainer[];
  engine: IEngine;
}

/** The images, and the engine they are on. */
export interface IImagePage {
  images: IImage[];
  engine: IEngine;
}

export interface IContainerState {
  id: string;
  short_id: string;
  name: string;
  state: string;
  exit_code: number | null;
}

/** A container as its cell's panel shows it (the server renders the kernel's panel HTML). */
export interface IContainerPanel extends IContainerState {
  html: string;
}

export interface ILogs extends IContainerState {
  tail: number;
  truncated: boolean;
  logs: string;
}

export interface IImage {
  id: string;
  short_id: string;
  tags: string[];
  size: number;
  created: number;
  /** Names of the containers (running or not) made from it. */
  containers: string[];
}

/** A file "Copy a file out" wrote: its path relative to the server's root. */
export interface ICopied {
  path: string;
  size: number;
}

/** An error answered by the server, with its message. */
export class APIError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }

  /** No Docker engine answers (the server retries on every request). */
  get engineDown(): boolean {
    return this.status === 503;
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, 'runmagic', path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new APIError(0, `Jupyter server unreachable: ${error}`);
  }
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  if (!response.ok) {
    const message = (data && data.message) || response.statusText || `HTTP ${response.status}`;
    throw new APIError(response.status, message);
  }
  return data as T;
}

const enc = encodeURIComponent;

export const api = {
  containers(filter: ContainerFilter): Promise<IContainerPage> {
    return request(`containers?filter=${enc(filter)}`);
  },
  stop(id: string): Promise<IContainerState> {
    return request(`containers/${enc(id)}/stop`, { method: 'POST' });
  },
  restart(id: string): Promise<IContainerState> {
    return request(`containers/${enc(id)}/restart`, { method: 'POST' });
  },
  remove(id: string, force = true): Promise<IContainerState> {
    return request(`containers/${enc(id)}?force=${force ? 1 : 0}`, { method: 'DELETE' });
  },
  /** `last`: the host ports the cell saw (`80/tcp@127.0.0.1:49153`), which the engine forgets at a stop. */
  panel(id: string, last: string[] = []): Promise<IContainerPanel> {
    const query = last.map(p => `last=${enc(p)}`).join('&');
    return request(`containers/${enc(id)}/panel${query ? `?${query}` : ''}`);
  },
  logs(id: string, tail = 200): Promise<ILogs> {
    return request(`containers/${enc(id)}/logs?tail=${tail}`);
  },
  images(name = ''): Promise<IImagePage> {
    return request(name ? `images?name=${enc(name)}` : 'images');
  },
  /** The explorer's model; the server analyses the image first (cached by image ID). */
  explore(id: string): Promise<IExplorerModel> {
    return request(`images/${enc(id)}/explore`);
  },
  async tree(id: string, path: string): Promise<ITreeNode[]> {
    const data = await request<{ children: ITreeNode[] }>(`images/${enc(id)}/tree?path=${enc(path)}`);
    return data.children;
  },
  tagImage(id: string, target: string): Promise<{ id: string; tag: string }> {
    return request(`images/${enc(id)}/tag`, { method: 'POST', body: JSON.stringify({ target }) });
  },
  /** `docker rmi` without force: an image in use is refused with docker's message (409). */
  removeImage(ref: string): Promise<{ removed: unknown[] }> {
    return request(`images/${enc(ref)}`, { method: 'DELETE' });
  },
  /** Copy the image's file `path` into the folder `dir` (relative to the server's root). */
  copyOut(id: string, path: string, dir: string): Promise<ICopied> {
    return request(`images/${enc(id)}/copy`, { method: 'POST', body: JSON.stringify({ path, dir }) });
  }
};
