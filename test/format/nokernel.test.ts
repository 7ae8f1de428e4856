// Extensions this machine's kernel cannot load have expected output taken from
// the upstream `save` functions (see the header of each *-nokernel-input file).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/format.js";
import { parse } from "../../src/parser/parse.js";

const corpus = new URL("../oracle/corpus/", import.meta.url);
const withoutComments = (text: string) =>
  text
    .split("\n")
    .filter((l) => !l.startsWith("#"))
    .join("\n");

describe("extensions the kernel here cannot load", () => {
  const inputs = readdirSync(corpus).filter((f) => /-nokernel-input\.rules\.txt$/.test(f));
  it("has input/expected pairs", () => expect(inputs.length).toBeGreaterThan(0));
  for (const input of inputs) {
    const expectedFile = input.replace("-input.", "-expected.");
    it.runIf(existsSync(new URL(expectedFile, corpus)))(`${input} prints as upstream's save functions do`, () => {
      const result = parse(readFileSync(new URL(input, corpus), "utf8"), { file: input });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(withoutComments(format(result.dump))).toBe(withoutComments(readFileSync(new URL(expectedFile, corpus), "utf8")));
    });
  }
});
