#!/usr/bin/env node
/*
 * npm, as hatch-jupyter-builder (and tests/test_labextension.py) call it: `node scripts/npm.js
 * install` then `node scripts/npm.js run <script>`.
 *
 * "install" is `npm ci` from the committed package-lock.json, skipped while node_modules
 * already matches it (a stamp in node_modules records the lockfile's hash), so a rebuild in a
 * checkout costs no install. Anything else is passed to npm unchanged.
 */
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const here = path.resolve(__dirname, '..');
const stamp = path.join(here, 'node_modules', '.runmagic-deps');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function depsKey() {
  // The lockfile and the dependency fields of package.json (not its scripts), and node.
  const pkg = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8'));
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(path.join(here, 'package-lock.json')));
  hash.update(JSON.stringify([pkg.dependencies, pkg.devDependencies, pkg.overrides, process.version]));
  return hash.digest('hex');
}

function run(args) {
  const result = spawnSync(npm, args, { cwd: here, stdio: 'inherit' });
  if (result.error) {
    throw result.error;
  }
  return result.status ?? 1;
}

function install() {
  const key = depsKey();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === key) {
    console.log('runmagic labextension: node_modules is up to date with package-lock.json');
    return 0;
  }
  const status = run(['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  if (status === 0) {
    fs.writeFileSync(stamp, key);
  }
  return status;
}

const args = process.argv.slice(2);
process.exit(args.length === 1 && args[0] === 'install' ? install() : run(args));
