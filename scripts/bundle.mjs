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
  legalComments: "linked",
  logLevel: "warning",
  // Some bundled CommonJS dependencies call require(); give ESM output one.
  banner: { js: "import { createRequire as __kiptCreateRequire } from 'node:module'; const require = __kiptCreateRequire(import.meta.url);" },
});
