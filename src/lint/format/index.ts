import { formatGcc } from "./gcc.js";
import { formatGithub } from "./github.js";
import { formatJson } from "./json.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import type { Formatter } from "./types.js";

export const LINT_FORMATS = ["text", "gcc", "json", "sarif", "github"] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export const formatters: Readonly<Record<LintFormat, Formatter>> = {
  text: formatText,
  gcc: formatGcc,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
};

export { formatText, formatGcc, formatJson, formatSarif, formatGithub };
export type { FormatInput, FormatOptions, Formatter } from "./types.js";
