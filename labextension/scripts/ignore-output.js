// The bundled extension (jupyterlab.outputDir, inside the Python package) is a build output:
// a .gitignore of "*" in it keeps git from ever picking it up.
const fs = require('fs');
const path = require('path');
const here = path.resolve(__dirname, '..');
const outputDir = path.resolve(here, require(path.join(here, 'package.json')).jupyterlab.outputDir);
fs.mkdirSync(outputDir, { recursive: true });
fs.writeFileSync(path.join(outputDir, '.gitignore'), '# build output of labextension/ (npm run build)\n*\n');
