#!/usr/bin/env node
// Entry point: load the compiled CLI and exit with its code. Errors are
// reported as one line; stack traces only with KIPT_DEBUG=1.
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

// A reader that stops early (`kipt parse big.txt | head`) closes the pipe. Stop
// quietly with the I/O exit code rather than Node's unhandled 'error' stack trace.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") process.stderr.write(`kipt: error: cannot write the output (${error.code ?? error.message})\n`);
  process.exit(3);
});
process.stderr.on("error", () => process.exit(3));
// main() never throws; this is the last resort for an error raised outside it (an event handler).
const internal = (error) => {
  process.stderr.write(`kipt: internal error: ${String(error?.message ?? error).replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")} (please report this with the input that caused it)\n`);
  if (process.env.KIPT_DEBUG && error?.stack) process.stderr.write(`${error.stack}\n`);
  process.exit(3);
};
process.on("uncaughtException", internal);
process.on("unhandledRejection", internal);

// The bundle is minified; with KIPT_DEBUG=1 stack traces point into src/ through its source map.
if (process.env.KIPT_DEBUG) process.setSourceMapsEnabled(true);
const cli = new URL("../dist/kipt-cli.js", import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write("kipt: error: kipt is not built; run 'npm run build' (npm ci does it) [exit 3]\n");
  process.exit(3);
}
const { main } = await import(cli.href);
const code = await main(process.argv);
// When everything is written (files, terminals, a pipe that kept up), exit at
// once: a natural exit first tears down a heap of a few hundred MB (10-30 ms on
// a large dump). Output still queued for a pipe is left to drain by a natural exit.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
process.exitCode = code;
