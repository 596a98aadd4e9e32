// Remove build outputs (lib/, lib-test/, the bundled labextension) before a production build.
const fs = require('fs');
const path = require('path');
const here = path.resolve(__dirname, '..');
const outputDir = require(path.join(here, 'package.json')).jupyterlab.outputDir;
for (const dir of ['lib', 'lib-test', outputDir]) {
  fs.rmSync(path.resolve(here, dir), { recursive: true, force: true });
}
