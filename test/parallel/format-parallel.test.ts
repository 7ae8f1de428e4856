// The parallel formatter must print exactly what the single-threaded one prints.
// It is imported from dist/ (npm test builds first) because the worker threads
// run the built worker script.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateKubeDump } from "../../bench/gen-kube-dump.mjs";
import { formatText } from "../../dist/src/parallel/format-parallel.js";
import { planChunks } from "../../dist/src/parallel/chunks.js";
import { parse } from "../../dist/src/parser/parse.js";
import { format } from "../../dist/src/format/format.js";

function single(text: string) {
  const r = parse(text, { file: "x" });
  return { text: format(r.dump), diagnostics: r.diagnostics };
}

describe("formatText on worker threads", () => {
  const dump = generateKubeDump({ services: 300, seed: 7 });

  it("splits a large dump into chunks at rule lines", () => {
    const ranges = planChunks(dump, 3, 0)!;
    expect(ranges).toHaveLength(3);
    for (const r of ranges.slice(1)) expect(dump.startsWith("-A ", r.from)).toBe(true);
    expect(ranges[0]!.from).toBe(0);
    expect(ranges[2]!.to).toBe(dump.length);
  });

  it.each([2, 3, 4])("prints byte for byte what one thread prints (%i threads)", async (threads) => {
    const parallel = await formatText(dump, { file: "x", threads, minParallelBytes: 0 });
    const one = single(dump);
    expect(parallel.text).toBe(one.text);
    expect(parallel.text).toBe(dump);
    expect(parallel.diagnostics).toEqual(one.diagnostics);
  });

  it("reports the same diagnostics, at the same positions, for a dump with broken lines and restore commands", async () => {
    const lines = dump.split("\n");
    // Break a few rules in the middle of the file and add restore commands.
    for (const at of [200, 1200, 2500, 4000]) lines[at] = `${lines[at]} --bogus-option 1`;
    const nat = lines.indexOf("*nat");
    lines.splice(nat + 1, 0, "-N EXTRA-CHAIN");
    lines.splice(lines.length - 3, 0, "-I EXTRA-CHAIN -j RETURN", "-A EXTRA-CHAIN -s 10.0.0.1 -j ACCEPT", "-D EXTRA-CHAIN -s 10.0.0.1 -j ACCEPT");
    const text = lines.join("\n");
    const one = single(text);
    expect(one.diagnostics.filter((d) => d.severity === "error").length).toBeGreaterThanOrEqual(4);
    for (const threads of [2, 3]) {
      const parallel = await formatText(text, { file: "x", threads, minParallelBytes: 0 });
      expect(parallel.text).toBe(one.text);
      expect(parallel.diagnostics).toEqual(one.diagnostics);
    }
  });

  it("falls back to one thread for small inputs and for chain renames", async () => {
    expect(planChunks(dump, 2)).toBeNull(); // below 4 MiB
    expect(planChunks(`${dump}\n-E A B\n`, 2, 0)).toBeNull();
    const sample = readFileSync(new URL("../../samples/nginx.txt", import.meta.url), "utf8");
    expect((await formatText(sample, { threads: 2 })).text).toBe(sample);
  });
});
