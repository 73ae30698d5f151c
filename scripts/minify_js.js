#!/usr/bin/env node
// scripts/minify_js.js FILE...: minify JavaScript files in place with terser (Debian's node-terser;
// run with NODE_PATH=/usr/share/nodejs). Emscripten only takes out whitespace; terser also
// shortens local names and drops dead code: playground.js is about 5 KB smaller brotli'd.
//
// Top-level names are kept: the pthread workers (playground.worker.js), our HTML and the tests
// reach the module's globals by name (Module, ppFatal, ...). Property names are never changed.
'use strict';
const fs = require('fs');
const { minify } = require('terser');

async function main(files) {
  if (files.length === 0) throw new Error('usage: minify_js.js FILE...');
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const result = await minify(source, { compress: true, mangle: true, toplevel: false });
    if (typeof result.code !== 'string') throw new Error(`${file}: terser gave no code`);
    fs.writeFileSync(file, result.code);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`minify_js.js: ${error.message}`);
  process.exit(1);
});
