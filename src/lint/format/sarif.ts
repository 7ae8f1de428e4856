/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers. The rules
 * come from the registries (lint rules and parser codes); each result has
 * `partialFingerprints` built from the rule's canonical text, never from
 * line numbers, so a finding keeps its identity when lines move.
 */
import { allParseCodes } from "../../diagnostics/parse-codes.js";
import type { Severity } from "../../diagnostics/diagnostic.js";
import { lintRules } from "../registry.js";
import { docsPath } from "../rule.js";
import type { FormatInput } from "./types.js";
import { jsonText } from "../../text/sanitize.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function level(severity: Severity): "error" | "warning" | "note" {
  return severity === "info" ? "note" : severity;
}

interface RuleDescriptor {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly category: string;
}

/** Every code a result can have, in ID order. */
export function sarifRules(): RuleDescriptor[] {
  const out: RuleDescriptor[] = [
    ...allParseCodes.map((c) => ({ id: c.id, name: c.name, severity: c.severity, summary: c.summary, category: "parse" })),
    ...lintRules.map((r) => ({ id: r.meta.id, name: r.meta.name, severity: r.meta.severity, summary: r.meta.summary, category: r.meta.kubernetes ? "kubernetes" : "structure" })),
  ];
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A file name as a SARIF URI reference: forward slashes, percent-encoded; standard input is `stdin`. */
export function artifactUri(file: string): string {
  if (file === "-") return "stdin";
  const slashed = file.replace(/\\/g, "/");
  if (slashed.startsWith("/")) return "file://" + encodeURI(slashed);
  return encodeURI(slashed).replace(/[?#]/g, encodeURIComponent);
}

export function formatSarif(input: FormatInput): string {
  const rules = sarifRules();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const artifacts: string[] = [];
  const artifactIndex = new Map<string, number>();
  for (const f of input.findings) {
    if (!artifactIndex.has(f.file)) {
      artifactIndex.set(f.file, artifacts.length);
      artifacts.push(f.file);
    }
  }
  const occurrences = new Map<string, number>();
  const results = input.findings.map((f) => {
    const seen = `${f.file}\0${f.id}\0${f.fingerprint}`;
    const n = (occurrences.get(seen) ?? 0) + 1;
    occurrences.set(seen, n);
    // A whole-file finding (line 0) gets no region: SARIF's lines start at 1,
    // and a physicalLocation without a region is the file as a whole.
    let region: Record<string, number> | undefined;
    if (f.line > 0) {
      region = { startLine: f.line };
      if (f.column > 0) {
        region.startColumn = f.column;
        if (f.length > 0) region.endColumn = f.column + f.length;
      }
    }
    const logical = f.table !== null
      ? [{ fullyQualifiedName: f.chain !== null ? `${f.table}/${f.chain}` : f.table, kind: f.chain !== null ? "chain" : "table" }]
      : undefined;
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id) ?? -1,
      level: level(f.severity),
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: artifactUri(f.file), index: artifactIndex.get(f.file)! },
            ...(region ? { region } : {}),
          },
          ...(logical ? { logicalLocations: logical } : {}),
        },
      ],
      partialFingerprints: { "kiptFinding/v1": `${f.fingerprint}:${n}` },
    };
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "kipt",
            semanticVersion: input.version,
            version: input.version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.summary },
              fullDescription: { text: r.summary },
              help: { text: `${r.summary} See ${docsPath(r.id)} in the kipt package.`, markdown: `${r.summary} See [${r.id}](${docsPath(r.id)}).` },
              defaultConfiguration: { level: level(r.severity) },
              properties: { tags: ["iptables", r.category] },
            })),
          },
        },
        artifacts: artifacts.map((file) => ({ location: { uri: artifactUri(file) } })),
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return jsonText(log) + "\n";
}
