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
    return require(path.join(dir, 'package.json')).engines;
  } catch (error) {
    if (path.dirname(dir) === dir) throw error;
    return nearestEngines(path.dirname(dir));
  }
}
var engines = nearestEngines(path.join(__dirname, '..'));
var range = engines.node;
var wanted = /^>=\s*(\d+)(?:\.(\d+))?/.exec(range);
if (!wanted) throw new Error('bin/requireNode.cjs: engines.node must be ">=MAJOR[.MINOR]", not ' + range);
var current = process.versions.node.split('.');
var major = Number(wanted[1]);
var minor = Number(wanted[2] || 0);
var tooOld = Number(current[0]) < major || (Number(current[0]) === major && Number(current[1]) < minor);

// How to get that Node is written once, in `engines["get-node"]`: npm prints the whole `engines` object when
// `engine-strict` (.npmrc) stops `npm install` at once, before any script of ours could run, so the same
// how-to reaches a user whichever door they came in by.
if (tooOld) {
  process.stderr.write(
    'docbridge: Node.js ' + major + '.' + minor + ' or newer is required, this is ' + process.version +
      '; get it with ' + engines['get-node'] + '\n',
  );
  process.exit(1);
}
