/**
 * The image explorer's model (`application/vnd.runmagic.image-explorer`, made by
 * runmagic/explore/report.py) and what the renderer derives from it.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { formatSize } from './format';
import { jsonObject } from './jsonObject';

export const EXPLORER_MIME = 'application/vnd.runmagic.image-explorer';

export interface IChanges {
  count: number;
  bytes: number;
  items: { path: string; size: number; dir: boolean }[];
}

export interface ILayer {
  index: number;
  digest: string;
  size: number;
  command: string;
  created: string;
  added: IChanges;
  modified: IChanges;
  removed: IChanges;
}

export interface ITreeNode {
  name: string;
  size: number;
  /** The layer whose entry put it there (null: a folder no layer lists itself). */
  layer: number | null;
  kind: 'dir' | 'file' | 'link';
  target?: string;
  children?: ITreeNode[];
  /** Children not sent yet (the server's tree route gives them). */
  more?: number;
}

export interface IHealthcheck {
  test: string[];
  interval?: number;
  timeout?: number;
  startperiod?: number;
  retries?: number;
}

export interface IExplorerConfig {
  entrypoint: string[];
  cmd: string[];
  env: [string, string][];
  exposed_ports: string[];
  volumes: string[];
  working_dir: string;
  user: string;
  labels: [string, string][];
  healthcheck: IHealthcheck | null;
  stop_signal: string;
  shell: string[];
  platform: string;
}

export interface IExplorerModel {
  ref: string;
  id: string;
  tags: string[];
  created: string;
  size: number;
  config: IExplorerConfig;
  layers: ILayer[];
  waste: {
    size_bytes: number;
    user_size_bytes: number;
    wasted_bytes: number;
    efficiency: number;
    count: number;
    files: { path: string; count: number; size: number; layers: number[] }[];
  };
  tree: { whole: boolean; children: ITreeNode[] };
  lines: { shell: string; run: string };
}

/** The output's model: JSON text (or an object, should a frontend parse it); null if unusable. */
export function parseExplorerModel(value: unknown): IExplorerModel | null {
  const data = jsonObject(value);
  if (!data) {
    return null;
  }
  const model = data as Partial<IExplorerModel>;
  if (typeof model.ref !== 'string' || !model.config || !Array.isArray(model.layers) || !model.waste || !model.tree) {
    return null;
  }
  return model as IExplorerModel;
}

/** `sha256:0123456789abcdef…` as docker's short form (12 hex digits). */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** dive's efficiency score as a percentage with two decimals, as the text form prints it. */
export function formatEfficiency(score: number): string {
  return `${(score * 100).toFixed(2)} %`;
}

/** A Go duration in nanoseconds as docker prints it (`30s`, `1m30s`, `500ms`). */
export function formatDuration(nanoseconds: number): string {
  if (nanoseconds <= 0) {
    return '0s';
  }
  const ms = nanoseconds / 1e6;
  if (ms < 1000) {
    return `${Number(ms.toPrecision(6))}ms`;
  }
  let seconds = nanoseconds / 1e9;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours) {
    return `${hours}h${minutes}m${s}`;
  }
  return minutes ? `${minutes}m${s}` : s;
}

/** A command as docker's JSON form (`["sh","-c","…"]`), empty for none. */
function commandText(words: string[]): string {
  return words.length ? JSON.stringify(words) : '';
}

function healthcheckText(health: IHealthcheck | null): string {
  if (!health || !health.test.length) {
    return '';
  }
  const [kind, ...rest] = health.test;
  const test = kind === 'NONE' ? 'disabled' : kind === 'CMD-SHELL' ? rest.join(' ') : commandText(kind === 'CMD' ? rest : health.test);
  const timing = [
    health.interval ? `every ${formatDuration(health.interval)}` : '',
    health.timeout ? `timeout ${formatDuration(health.timeout)}` : '',
    health.startperiod ? `start period ${formatDuration(health.startperiod)}` : '',
    health.retries ? `${health.retries} retries` : ''
  ].filter(Boolean);
  return timing.length ? `${test} (${timing.join(', ')})` : test;
}

/**
 * The config as rows of (label, value), in the order the explorer shows them; empty
 * fields are left out. Environment values and labels are shown as the model gives them
 * (secret-looking ones are already masked by the server).
 */
export function configRows(config: IExplorerConfig): [string, string][] {
  const rows: [string, string][] = [
    ['Platform', config.platform],
    ['Entrypoint', commandText(config.entrypoint)],
    ['Cmd', commandText(config.cmd)],
    ['Working dir', config.working_dir],
    ['User', config.user],
    ['Exposed ports', config.exposed_ports.join(', ')],
    ['Volumes', config.volumes.join(', ')],
    ['Stop signal', config.stop_signal],
    ['Healthcheck', healthcheckText(config.healthcheck)]
  ];
  return [
    ...rows.filter(([, value]) => value),
    ...config.env.map(([name, value]): [string, string] => ['Env', `${name}=${value}`]),
    ...config.labels.map(([name, value]): [string, string] => ['Label', `${name}=${value}`])
  ];
}

/** The one-line summary of a layer's changes: `+3 ~1 -2 files`. */
export function changesSummary(layer: ILayer): string {
  return `+${layer.added.count} ~${layer.modified.count} -${layer.removed.count}`;
}

/** The waste as one line: `wasted 5.01kB (2 files), efficiency 99.63 %`. */
export function wasteSummary(waste: IExplorerModel['waste']): string {
  const files = `${waste.count} ${waste.count === 1 ? 'file' : 'files'}`;
  return `wasted ${formatSize(waste.wasted_bytes)} (${files}), efficiency ${formatEfficiency(waste.efficiency)}`;
}

/** The absolute path of a tree node below `parent` (`/` for the root). */
export function childPath(parent: string, name: string): string {
  return parent === '/' || parent === '' ? `/${name}` : `${parent}/${name}`;
}

/** The layer label shown beside a tree node: `L3` (or empty for an implicit folder). */
export function layerLabel(layer: number | null): string {
  return layer === null ? '' : `L${layer}`;
}
