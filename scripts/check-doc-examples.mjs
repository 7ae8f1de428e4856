#!/usr/bin/env node
/**
 * Keeps docs/rules true (npm run docs:check; build first): every registered
 * diagnostic code has a page titled `# ID name`, the page's Example triggers
 * the code and no other error, its Fix triggers neither, no page is left
 * without a code, and the index links every code. Prints one line per
 * failure, `file:line: message`; exits 1 when there is any, 0 otherwise.
 * The same checks run in test/catalogue.test.ts.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkRuleDocs, codeSources, formatFailure, RULES_DIR } from "../dist/src/docs/rule-pages.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const failures = checkRuleDocs(root);
for (const failure of failures) console.log(formatFailure(failure));
const codes = codeSources.reduce((n, source) => n + source.codes.length, 0);
if (failures.length > 0) {
  console.error(`${failures.length} problem${failures.length === 1 ? "" : "s"} in ${RULES_DIR} (${codes} codes checked)`);
  process.exit(1);
}
console.error(`${RULES_DIR}: ${codes} codes, every page true`);
