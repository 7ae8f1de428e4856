/**
 * Worker thread entry: parse one chunk of a dump and print its rules.
 */
import { parentPort, workerData } from "node:worker_threads";
import { parseChunk, type ChunkRange } from "../parser/parse.js";
import { packChunk, printedChunk, printRule, printShortCut } from "./printed.js";

interface FormatJob {
  /** Only the chunk's text, so each worker is sent its part and not the whole dump. */
  readonly text: string;
  readonly file: string;
  /** The chunk's range within `text`, which starts at offset `base` of the whole dump. */
  readonly range: ChunkRange;
  readonly base: number;
  readonly verbatim: boolean;
}

if (parentPort) {
  const job = workerData as FormatJob;
  const result = parseChunk(job.text, job.file, job.range, printRule, job.verbatim ? printShortCut() : null);
  // Offsets in the diagnostics are made offsets into the whole dump again.
  const diagnostics = result.diagnostics.map((d) => (d.offset >= 0 ? { ...d, offset: d.offset + job.base } : d));
  parentPort.postMessage(packChunk(printedChunk(result.dump, diagnostics, result.continued)));
}
