import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";
import type { PacketSpec } from "../../src/trace/packet.js";
import { parseDest } from "../../src/trace/packet.js";
import { trace, type TraceOptions } from "../../src/trace/trace.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function rulesetOf(text: string) {
  const { dump, diagnostics } = parse(text, { file: "test" });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.line}: ${d.message}`).join("\n"));
  return load(dump);
}

export function sample(name: string) {
  return rulesetOf(readFileSync(path.join(root, "samples", name), "utf8"));
}

export function spec(dest: string, more: Partial<PacketSpec> = {}): PacketSpec {
  const d = parseDest(dest);
  return { dst: d.ip, dport: d.port, proto: "tcp", src: null, sport: null, from: "external", inIface: null, outIface: null, nodeIps: [], mark: 0, ctstate: "NEW", ...more };
}

export function run(text: string, dest: string, more: Partial<PacketSpec> = {}, options: TraceOptions = {}) {
  return trace(rulesetOf(text), spec(dest, more), options);
}

/** A dump with only the given tables' lines; `*nat` etc. and COMMIT added. */
export function dump(tables: Record<string, string[]>): string {
  let out = "";
  for (const [name, lines] of Object.entries(tables)) out += `*${name}\n${lines.join("\n")}\nCOMMIT\n`;
  return out;
}
