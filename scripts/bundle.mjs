#!/usr/bin/env node
// Bundles the CLI into one file (dist/kipt-cli.js). Why: chevrotain pulls in
// lodash-es as ~600 ES modules, and loading them took 0.4 s of every kipt run;
// one bundled file loads in a fraction of that. The library build (tsc, dist/src)
// stays unbundled for consumers.
import { build } from "esbuild";

await build({
  // The worker thread entry is bundled too: src/parallel/format-parallel.ts looks
  // for kipt-worker.js beside the bundled CLI.
  entryPoints: { "kipt-cli": "src/cli/main.ts", "kipt-worker": "src/parallel/worker.ts" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outdir: "dist",
  sourcemap: true,
  // Minified: V8 reads and compiles the whole file on every run, and half the
  // text is half of that (30 ms of a `kipt` start measured). Stack traces
  // (KIPT_DEBUG=1) map back to src/ through the source map (node --enable-source-maps).
  minify: true,
  legalComments: "linked",
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require(); give ESM output one.
  banner: { js: "import { createRequire as __kiptCreateRequire } from 'node:module'; const require = __kiptCreateRequire(import.meta.url);" },
});
