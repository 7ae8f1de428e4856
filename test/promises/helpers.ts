/**
 * Shared by the promise tests (README "What kipt promises"): run the built
 * CLI as a user would, in a child process, and look at what comes out.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const bin = path.join(root, "bin/kipt.js");
export const sample = (name: string) => path.join(root, "samples", name);

export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Standard input; empty when not given. */
  readonly input?: string | Buffer;
  /** Options for node itself, before the script (the permission model). */
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
}

/** The documented exit codes (README "Diagnostics and exit codes"). */
export const EXIT = { ok: 0, findings: 1, usage: 2, io: 3 } as const;

/**
 * The environment of a plain pipe: no colour forced by the test runner, no
 * KIPT_DEBUG (which would print stack traces on purpose).
 */
export function plainEnv(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete e.FORCE_COLOR;
  delete e.KIPT_DEBUG;
  return e;
}

/** `node bin/kipt.js ...args`, output decoded as UTF-8. */
export function kipt(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { cwd: options.cwd ?? root, env: plainEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.on("error", () => {}); // kipt may exit before reading all of it
    child.stdin.end(options.input ?? "");
  });
}

/** Run `jobs` with at most `limit` child processes at a time; results in order. */
export async function runAll<T>(jobs: readonly (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Why this stderr shows a crash rather than kipt's own one-line messages, or null. */
export function stackTrace(stderr: string): string | null {
  const signs: [RegExp, string][] = [
    [/^\s+at /m, "a stack frame ('    at ...')"],
    [/node:internal|node:events|node:fs/, "a Node.js internal module"],
    [/^\w*Error(\s*\[\w+\])?: /m, "an uncaught Error"],
    [/^Node\.js v\d/m, "Node's crash footer"],
    [/throw er;|Unhandled 'error' event|UnhandledPromiseRejection/, "an unhandled error"],
  ];
  for (const [re, what] of signs) if (re.test(stderr)) return `${what} in:\n${stderr.slice(0, 2000)}`;
  return null;
}

/** A scratch folder for one test file, removed by `cleanup`. */
export function scratch(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `kipt-${prefix}-`));
  return {
    dir,
    file(name: string, content: string | Buffer): string {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The filter table's built-ins, `lines`, COMMIT. */
export function filterDump(lines: readonly string[], chains: readonly string[] = []): string {
  return ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ...chains.map((c) => `:${c} - [0:0]`), ...lines, "COMMIT", ""].join("\n");
}

/**
 * Every command once over `file`, in its default format; `trace` follows a
 * packet to a node address so the filter table's INPUT chain is walked.
 */
export function everyCommand(file: string): string[][] {
  return [
    ["explain", file],
    ["trace", file, "10.0.0.10:22", "--node-ip", "10.0.0.10"],
    ["lint", file],
    ["graph", file],
    ["fmt", file],
    ["parse", file],
  ];
}
