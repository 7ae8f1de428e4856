import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { load, type Ruleset } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";
import { explain, type Explanation } from "../../src/kube/explain.js";
import type { KubeFrontend, KubeServicePort } from "../../src/kube/model.js";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const fixtures = path.join(root, "test/kube/fixtures");
export const wild = path.resolve(root, "../shared/wild");

export function rulesetOf(text: string, file = "test"): Ruleset {
  const { dump, diagnostics } = parse(text, { file });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${file}:${d.line}: ${d.message}`).join("\n"));
  return load(dump);
}

export function read(file: string): string {
  return readFileSync(file, "utf8");
}

export function explainFile(file: string): Explanation {
  return explain(rulesetOf(read(file), file));
}

export const sample = (name: string) => path.join(root, "samples", name);
export const fixture = (name: string) => path.join(fixtures, name);
export const wildDump = (name: string) => path.join(wild, name);
export const hasWild = (name: string) => existsSync(wildDump(name));

export function service(x: Explanation, name: string, protocol?: string): KubeServicePort {
  const s = x.kube.services.find((v) => v.name === name && (protocol === undefined || v.protocol === protocol));
  if (!s) throw new Error(`no service ${name} ${protocol ?? ""}; have ${x.kube.services.map((v) => v.name).join(", ")}`);
  return s;
}

export function frontend(s: KubeServicePort, type: KubeFrontend["type"], ip?: string | null): KubeFrontend {
  const f = s.frontends.find((v) => v.type === type && (ip === undefined || v.ip === ip));
  if (!f) throw new Error(`no ${type} frontend on ${s.name}; have ${s.frontends.map((v) => `${v.type} ${v.ip}:${v.port}`).join(", ")}`);
  return f;
}

/** `address share` lines: the shares as exact fractions. */
export function shares(list: KubeFrontend["endpoints"], which: "intended" | "kernel" = "intended"): string[] {
  return list.map((e) => `${e.address} ${e[which].toString()} ${e.chain}`);
}
