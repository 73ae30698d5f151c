#!/usr/bin/env node
// scripts/minify_js.js [--top-level KEEP,...] FILE...: minify JavaScript files in place with terser
// (Debian's node-terser; run with NODE_PATH=/usr/share/nodejs). Emscripten only takes out
// whitespace; terser also shortens local names and drops dead code (playground.js: 37 KB brotli
// to 32). Property names are never changed: the pages, the workers and the tests reach the
// module through them (Module.ccall, Module._pp_state_json).
//
// --top-level KEEP,...  also shortens the file's own top-level names (playground.js: 32 KB to 27),
//                       all but KEEP: for a program whose top-level names nothing else uses by
//                       name. emscripten's pthread worker (playground.worker.js) shares the global
//                       scope with playground.js but uses only `Module`.
'use strict';
const fs = require('fs');
const { minify } = require('terser');

async function main(args) {
  let keep = null;
  if (args[0] === '--top-level') {
    if (args.length < 2) throw new Error('--top-level needs the names to keep (comma-separated)');
    keep = args[1].split(',').filter(Boolean);
    args = args.slice(2);
  }
  if (args.length === 0) throw new Error('usage: minify_js.js [--top-level KEEP,...] FILE...');
  const options = keep
    ? { toplevel: true, compress: { passes: 2 }, mangle: { toplevel: true, reserved: keep } }
    : { compress: { passes: 2 }, mangle: true };
  for (const file of args) {
    const result = await minify(fs.readFileSync(file, 'utf8'), options);
    if (typeof result.code !== 'string') throw new Error(`${file}: terser gave no code`);
    fs.writeFileSync(file, result.code);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`minify_js.js: ${error.message}`);
  process.exit(1);
});
