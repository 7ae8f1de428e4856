/**
 * Worker thread entry: parse one chunk of a dump and print its rules.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseChunk, type ChunkRange } from "../parser/parse.js";
import { printedChunk, printRule } from "./printed.js";

interface FormatJob {
  readonly text: string;
  readonly file: string;
  readonly range: ChunkRange;
}

if (parentPort) {
  const job = workerData as FormatJob;
  const result = parseChunk(job.text, job.file, job.range, printRule);
  parentPort.postMessage(printedChunk(result.dump, result.diagnostics, result.continued));
}
