/**
 * Real dumps: the repository's samples are clean (no warning or error from
 * any rule; the infos are kube-proxy's per-port health-check rule, really
 * redundant, and the one service with no endpoints), and the dumps from the wild (`../shared/wild/`,
 * skipped when absent) lint without throwing, deterministically. Every
 * shadowed-rule and unreachable-rule finding in the wild dumps was checked
 * by hand when the rules were written.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lint } from "../../src/lint/run.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const samples = readdirSync(path.join(root, "samples")).filter((f) => f.endsWith(".txt")).sort();
const wildDir = path.join(root, "../shared/wild");
const wild = existsSync(wildDir) ? readdirSync(wildDir).filter((f) => f.endsWith(".txt")).sort() : [];

describe("samples", () => {
  it.each(samples.map((s) => [s]))("%s: no warning or error", (sample) => {
    const text = readFileSync(path.join(root, "samples", sample), "utf8");
    const findings = lint([{ file: sample, text }]).findings;
    expect(findings.filter((f) => f.severity !== "info").map((f) => `${f.line}: ${f.message} [${f.id}]`)).toEqual([]);
  });

  it("kube-proxy-node.txt: the one service with no endpoints, and the second health-check rule for one node port is redundant (infos)", () => {
    const text = readFileSync(path.join(root, "samples/kube-proxy-node.txt"), "utf8");
    expect(lint([{ file: "k", text }]).findings.map((f) => `${f.id} ${f.severity} ${f.chain}`)).toEqual(["KIPT3006 info KUBE-EXTERNAL-SERVICES", "KIPT2006 info KUBE-NODEPORTS"]);
  });

  it("all samples at once, as one cluster", () => {
    const inputs = samples.map((s) => ({ file: s, text: readFileSync(path.join(root, "samples", s), "utf8") }));
    expect(lint(inputs).findings.filter((f) => f.severity !== "info")).toEqual([]);
  });
});

describe.skipIf(wild.length === 0)("dumps from the wild", () => {
  it.each(wild.map((w) => [w]))("%s lints, deterministically", (name) => {
    const text = readFileSync(path.join(wildDir, name), "utf8");
    const first = lint([{ file: name, text }]).findings;
    const second = lint([{ file: name, text }]).findings;
    expect(second).toEqual(first);
  });
});
