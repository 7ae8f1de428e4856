/**
 * Machine-readable findings, schema version 1:
 * `{ "schemaVersion": 1, "diagnostics": [ { ruleId, ruleName, severity,
 * message, file, line, column, table, chain } ] }`, in the run's
 * deterministic order (file, line, column, rule ID, message).
 */
import type { FormatInput } from "./types.js";
import { jsonText } from "../../text/sanitize.js";

export function formatJson(input: FormatInput): string {
  const diagnostics = input.findings.map((f) => ({
    ruleId: f.id,
    ruleName: f.name,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    table: f.table,
    chain: f.chain,
  }));
  return jsonText({ schemaVersion: 1, diagnostics }) + "\n";
}
