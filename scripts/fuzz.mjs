#!/usr/bin/env node
// Seeded, bounded mutation campaign (issue 7): `npm run fuzz -- --seed 1 --runs 5000 --seconds 300`.
//
// Mutants of samples/*.txt and ../shared/wild/*.txt (see scripts/fuzz-lib.mjs)
// go through decode, parse, format, load, buildChainGraph, explain, lint and
// trace (and the graph, explain, lint and trace renderers) in a worker thread
// running dist/src/index.js. Any exception is a crash; a mutant that takes over --hang-ms (5 s) is a hang: the worker is
// stopped and a new one goes on with the next mutant. Crashing and hanging
// inputs are written to fuzz-crashes/<hash>.txt (or --out DIR); the exit code is 1 when
// there was any. Reproduce one with `--seed S --from I --runs 1`.
// `--giant-line N` sets the giant line's size (default 1 MiB; the slice in
// npm test uses 65536).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { exercise, GIANT_LINE, loadCorpus, mutant } from "./fuzz-lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (isMainThread) await main();
else await work();

function parseArgs(argv) {
  const args = { seed: 1, runs: 1000, seconds: 300, from: 0, hangMs: 5000, giantLine: GIANT_LINE, out: path.join(root, "fuzz-crashes") };
  const names = { "--seed": "seed", "--runs": "runs", "--seconds": "seconds", "--from": "from", "--hang-ms": "hangMs", "--giant-line": "giantLine" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out" && argv[i + 1]) {
      args.out = path.resolve(argv[++i]);
      continue;
    }
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value < 0) {
      console.error(`usage: node scripts/fuzz.mjs [--seed N] [--runs N] [--seconds N] [--from N] [--hang-ms N] [--giant-line N] [--out DIR]  (bad: ${argv[i]} ${argv[i + 1] ?? ""})`);
      process.exit(2);
    }
    args[key] = value;
    i++;
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const corpus = loadCorpus(root);
  if (corpus.length === 0) {
    console.error("fuzz: no corpus (samples/*.txt)");
    process.exit(2);
  }
  const deadline = Date.now() + args.seconds * 1000;
  const end = args.from + args.runs;
  const outDir = args.out;
  const problems = [];
  let done = 0;
  let next = args.from;

  const save = (index, kind, detail) => {
    const m = mutant(corpus, args.seed, index, { giantLine: args.giantLine });
    const hash = createHash("sha256").update(m.bytes).digest("hex").slice(0, 16);
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${hash}.txt`);
    writeFileSync(file, m.bytes);
    writeFileSync(path.join(outDir, `${hash}.info.txt`), `${kind} --seed ${args.seed} --from ${index} --giant-line ${args.giantLine} base=${m.base} ops=${m.ops.join("+")}\n${detail}\n`);
    problems.push({ kind, index });
    console.error(`fuzz: ${kind} at --seed ${args.seed} --from ${index} --giant-line ${args.giantLine} (${m.base}, ${m.ops.join("+")}) -> ${path.relative(root, file)}\n${detail}`);
  };

  while (next < end && Date.now() < deadline) {
    await new Promise((resolve) => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { seed: args.seed, from: next, end, deadline, giantLine: args.giantLine } });
      let current = null;
      let startedAt = 0;
      const timer = setInterval(() => {
        if (current !== null && Date.now() - startedAt > args.hangMs) {
          clearInterval(timer);
          const index = current;
          current = null;
          save(index, "hang", `over ${args.hangMs} ms`);
          done++;
          next = index + 1;
          void worker.terminate();
        }
      }, 100);
      worker.on("message", (msg) => {
        if (msg.type === "start") {
          current = msg.index;
          startedAt = Date.now();
        } else if (msg.type === "done") {
          if (msg.index !== current) return; // the watchdog already reported it as a hang
          current = null;
          done++;
          next = msg.index + 1;
          if (msg.crash) save(msg.index, "crash", msg.crash);
          else if (msg.ms > args.hangMs) save(msg.index, "hang", `took ${Math.round(msg.ms)} ms (over ${args.hangMs} ms)`);
        }
      });
      worker.on("error", (error) => {
        // The worker itself died (out of memory, a stack overflow outside a stage).
        if (current !== null) {
          save(current, "crash", `worker died: ${error?.stack ?? error}`);
          done++;
          next = current + 1;
          current = null;
        } else next = end;
      });
      worker.on("exit", () => {
        clearInterval(timer);
        resolve();
      });
    });
  }

  const crashes = problems.filter((p) => p.kind === "crash").length;
  const hangs = problems.length - crashes;
  console.log(`${done} runs, ${crashes} crashes, ${hangs} hangs (seed ${args.seed}, mutants ${args.from}..${args.from + done - 1}, corpus ${corpus.length} files)`);
  process.exit(problems.length ? 1 : 0);
}

async function work() {
  const kipt = await import("../dist/src/index.js");
  const { decode } = await import("../dist/src/cli/io.js");
  const api = { ...kipt, decode };
  const corpus = loadCorpus(root);
  const { seed, from, end, deadline, giantLine } = workerData;
  for (let index = from; index < end && Date.now() < deadline; index++) {
    parentPort.postMessage({ type: "start", index });
    const m = mutant(corpus, seed, index, { giantLine });
    let crash = null;
    const started = performance.now();
    try {
      exercise(api, m.bytes, `fuzz-${seed}-${index}.txt`);
    } catch (error) {
      const cause = error?.cause ?? error;
      crash = `${error?.stage ?? "?"}: ${cause?.stack ?? String(cause)}`;
    }
    parentPort.postMessage({ type: "done", index, crash, ms: performance.now() - started });
  }
}
