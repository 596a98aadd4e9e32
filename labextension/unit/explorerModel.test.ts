import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  changesSummary,
  childPath,
  configRows,
  formatDuration,
  formatEfficiency,
  IExplorerConfig,
  ILayer,
  layerLabel,
  parseExplorerModel,
  shortDigest,
  wasteSummary
} from '../src/explorerModel';

const CONFIG: IExplorerConfig = {
  entrypoint: [],
  cmd: ['sh'],
  env: [
    ['PATH', '/usr/bin'],
    ['API_TOKEN', '••••••']
  ],
  exposed_ports: ['53/udp', '8080/tcp'],
  volumes: ['/data'],
  working_dir: '/app',
  user: '',
  labels: [['org.example', 'x']],
  healthcheck: { test: ['CMD-SHELL', 'wget -q localhost'], interval: 30e9, retries: 3 },
  stop_signal: 'SIGTERM',
  shell: [],
  platform: 'linux/amd64'
};

test('config rows: filled fields in order, then env and labels as given (masked upstream)', () => {
  assert.deepEqual(configRows(CONFIG), [
    ['Platform', 'linux/amd64'],
    ['Cmd', '["sh"]'],
    ['Working dir', '/app'],
    ['Exposed ports', '53/udp, 8080/tcp'],
    ['Volumes', '/data'],
    ['Stop signal', 'SIGTERM'],
    ['Healthcheck', 'wget -q localhost (every 30s, 3 retries)'],
    ['Env', 'PATH=/usr/bin'],
    ['Env', 'API_TOKEN=••••••'],
    ['Label', 'org.example=x']
  ]);
  const exec = configRows({ ...CONFIG, healthcheck: { test: ['CMD', 'true', 'x y'], timeout: 500e6 } });
  assert.deepEqual(exec.find(([k]) => k === 'Healthcheck'), ['Healthcheck', '["true","x y"] (timeout 500ms)']);
  const none = configRows({ ...CONFIG, healthcheck: { test: ['NONE'] } });
  assert.deepEqual(none.find(([k]) => k === 'Healthcheck'), ['Healthcheck', 'disabled']);
});

test('Go durations as docker prints them', () => {
  assert.equal(formatDuration(30e9), '30s');
  assert.equal(formatDuration(90e9), '1m30s');
  assert.equal(formatDuration(3600e9 + 5e9), '1h0m5s');
  assert.equal(formatDuration(1.5e9), '1.5s');
  assert.equal(formatDuration(250e6), '250ms');
  assert.equal(formatDuration(0), '0s');
});

test('digests, scores, layer labels, paths', () => {
  assert.equal(shortDigest('sha256:0123456789abcdef0123'), '0123456789ab');
  assert.equal(formatEfficiency(0.99634), '99.63 %');
  assert.equal(formatEfficiency(1), '100.00 %');
  assert.equal(layerLabel(3), 'L3');
  assert.equal(layerLabel(null), '');
  assert.equal(childPath('/', 'app'), '/app');
  assert.equal(childPath('/app', 'new'), '/app/new');
});

test('changes and waste summaries', () => {
  const changes = (count: number) => ({ count, bytes: 0, items: [] });
  const layer: ILayer = {
    index: 2, digest: '', size: 0, command: '', created: '',
    added: changes(1), modified: changes(2), removed: changes(3)
  };
  assert.equal(changesSummary(layer), '+1 ~2 -3');
  const waste = { size_bytes: 1, user_size_bytes: 1, wasted_bytes: 5010, efficiency: 0.5, count: 1, files: [] };
  assert.equal(wasteSummary(waste), 'wasted 5.01kB (1 file), efficiency 50.00 %');
  assert.equal(wasteSummary({ ...waste, count: 2, wasted_bytes: 0 }), 'wasted 0B (2 files), efficiency 50.00 %');
});

test('the model from the output: JSON text or object; anything else is refused', () => {
  const model = { ref: 'x', config: CONFIG, layers: [], waste: {}, tree: { whole: true, children: [] } };
  assert.equal(parseExplorerModel(JSON.stringify(model))?.ref, 'x');
  assert.equal(parseExplorerModel(model)?.ref, 'x');
  assert.equal(parseExplorerModel('{not json'), null);
  assert.equal(parseExplorerModel({ ref: 'x' }), null);
  assert.equal(parseExplorerModel(null), null);
});
