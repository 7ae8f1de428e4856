#!/usr/bin/env node
// Entry point: load the compiled CLI and exit with its code. Errors are
// reported as one line; stack traces only with KIPT_DEBUG=1.
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

const cli = new URL("../dist/kipt-cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("kipt: error: kipt is not built; run 'npm run build' (npm ci does it) [exit 3]\n");
  process.exit(3);
}
const { main } = await import(cli.href);
const code = await main(process.argv);
// Let stdout drain before exiting (large outputs through a pipe).
process.exitCode = code;
