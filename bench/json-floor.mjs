#!/usr/bin/env node
// The least `kipt explain -o json` must spend on its output: printing its document.
//
//   node bench/json-floor.mjs DOC.json
//
// DOC.json is what `kipt explain -o json` printed for a dump (bench/run.mjs makes it once,
// untimed). This reads and parses it (not timed), then times, three times, the cheapest
// way Node has to print it as kipt does: one `JSON.stringify(value, null, 2)` call (native,
// no escaping, no streaming) and one synchronous write of the text to /dev/null. It prints
// one JSON line on stdout: {"bytes", "minMs"} with the fastest of the three.
//
// bench/run.mjs reports it next to the floors that read the dump, so RESULTS.md shows how
// much of explain's time target the output alone takes: no implementation of explain that
// prints this document can be faster than reading the dump plus this.

import fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/json-floor.mjs DOC.json');
  process.exit(2);
}
const value = JSON.parse(fs.readFileSync(file, 'utf8'));
const sink = fs.openSync('/dev/null', 'w');
let best = Infinity;
let bytes = 0;
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const text = JSON.stringify(value, null, 2) + '\n';
  bytes = fs.writeSync(sink, text);
  best = Math.min(best, performance.now() - t);
}
fs.closeSync(sink);
console.log(JSON.stringify({ bytes, minMs: best }));
