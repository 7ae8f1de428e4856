/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
 * line per finding, shown as annotations on the pull request.
 */
import { neutralize } from "../../text/sanitize.js";
import type { FormatInput } from "./types.js";

/** Escaping the runner expects for a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** ... and for property values (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(input: FormatInput): string {
  let out = "";
  for (const f of input.findings) {
    const command = f.severity === "info" ? "notice" : f.severity;
    const props = [`file=${escapeProperty(neutralize(f.file))}`];
    if (f.line > 0) props.push(`line=${f.line}`);
    if (f.line > 0 && f.column > 0) props.push(`col=${f.column}`);
    props.push(`title=${escapeProperty(`${f.id} ${f.name}`)}`);
    out += `::${command} ${props.join(",")}::${escapeData(neutralize(f.message))}\n`;
  }
  return out;
}
