/**
 * DOT, Mermaid and JSON output: golden files for the nginx sample's nat
 * graph from KUBE-SERVICES (checked by eye when written; regenerate with
 * UPDATE_GOLDEN=1 and review the diff), and escaping of hostile labels.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dotString, mermaidText, renderGraph, selectView, stringifyGraphJson, toGraphJson, ViewError, type GraphFormat } from "../../src/graph/render.js";
import { filterDump, graphOf } from "./helpers.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const nginx = readFileSync(path.join(root, "samples/nginx.txt"), "utf8");

describe("golden outputs: samples/nginx.txt --table nat --from KUBE-SERVICES", () => {
  const view = selectView(graphOf(nginx), { table: "nat", from: "KUBE-SERVICES" });
  for (const [format, file] of [
    ["dot", "nginx-nat-services.dot"],
    ["mermaid", "nginx-nat-services.mmd"],
    ["json", "nginx-nat-services.json"],
  ] as const satisfies readonly (readonly [GraphFormat, string])[]) {
    it(format, () => {
      const golden = path.join(here, "golden", file);
      const text = renderGraph(view, format);
      if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) writeFileSync(golden, text);
      expect(text).toBe(readFileSync(golden, "utf8"));
    });
  }
});

describe("views", () => {
  const g = graphOf(nginx);

  it("the whole graph has every table", () => {
    const view = selectView(g);
    expect(new Set(view.nodes.map((n) => n.table))).toEqual(new Set(["mangle", "filter", "nat"]));
    expect(view.edges).toHaveLength(g.edges.length);
  });

  it("--table keeps one table", () => {
    const view = selectView(g, { table: "filter" });
    expect(view.nodes.every((n) => n.table === "filter")).toBe(true);
    expect(view.edges.every((e) => e.table === "filter")).toBe(true);
  });

  it("unknown table or chain: a ViewError with a one-line message", () => {
    expect(() => selectView(g, { table: "nosuch" })).toThrow(new ViewError("no table 'nosuch' in the dump (it has: mangle, filter, nat)"));
    expect(() => selectView(g, { table: "nat", from: "NOSUCH" })).toThrow(new ViewError("no chain 'NOSUCH' in table nat"));
    expect(() => selectView(g, { from: "NOSUCH" })).toThrow(new ViewError("no chain 'NOSUCH' in any table"));
  });

  it("a chain name unique to one table needs no --table", () => {
    expect(selectView(g, { from: "KUBE-SVC-YK2SNH4V42VSDWIJ" }).nodes).toHaveLength(4);
  });

  it("shows the findings of the shown tables only", () => {
    const nat = ["*nat", ":PREROUTING ACCEPT [0:0]", "-A PREROUTING -j NOSUCH", "COMMIT"].join("\n");
    const both = graphOf(nat + "\n" + filterDump([], ["-A INPUT -j ALSO-NOT"]));
    expect(selectView(both, { table: "filter" }).diagnostics.map((d) => d.line)).toEqual([9]);
    expect(selectView(both).diagnostics.map((d) => d.line)).toEqual([3, 9]);
  });
});

describe("escaping", () => {
  // Chain names can hold backslashes, comments quotes and control characters.
  const hostile = filterDump(["A\\B"], ['-A INPUT -m comment --comment "x\\"] -> evil \u001b[2J \\n" -j A\\B']);

  it("dotString escapes quotes and backslashes and neutralizes control characters", () => {
    expect(dotString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(dotString("a\nb\u001b")).toBe('"a\\\\nb\\\\e"');
  });

  it("DOT labels stay inside their quotes", () => {
    const dot = renderGraph(selectView(graphOf(hostile)), "dot");
    expect(dot).not.toContain("\u001b");
    expect(dot).toContain('"filter:A\\\\B" [label="A\\\\B\\n0 rules"]');
    // Every line is a statement or a brace: no label broke out.
    for (const line of dot.trimEnd().split("\n")) expect(line).toMatch(/^(digraph kipt \{|\}|\s+.*[;{}]|\s+\})$/);
    // Unescaped quotes come in pairs on every line.
    for (const line of dot.split("\n")) expect(line.replace(/\\\\/g, "").replace(/\\"/g, "").split('"').length % 2).toBe(1);
  });

  it("mermaidText turns the characters Mermaid reads into entity codes", () => {
    expect(mermaidText('a"b<c>&`')).toBe("a#34;b#60;c>#38;#96;");
    expect(mermaidText("#quot; #9829; #3 x#")).toBe("#35;quot; #35;9829; #3 x#");
    expect(mermaidText("\u001b\u202e")).toBe("\\e\\u202e");
  });

  it("Mermaid labels stay inside their quotes", () => {
    const mmd = renderGraph(selectView(graphOf(hostile)), "mermaid");
    expect(mmd).not.toContain("\u001b");
    for (const line of mmd.split("\n")) expect(line.split('"').length % 2).toBe(1);
    expect(mmd).toContain('n3["A\\B<br/>0 rules"]');
  });

  it("JSON keeps the text and escapes invisible characters", () => {
    const g = graphOf(filterDump(["A\u202eB"], ["-A INPUT -j A\u202eB"]));
    const text = stringifyGraphJson(toGraphJson(selectView(g)));
    expect(text).not.toContain("\u202e");
    expect(text).toContain('"chain": "A\\u202eB"');
    expect(JSON.parse(text).nodes[3].chain).toBe("A\u202eB");
  });
});
