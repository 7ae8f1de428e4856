import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { syntaxDiagramsHtml } from "../../src/parser/diagrams.js";
import { LineParser } from "../../src/parser/grammar.js";

describe("grammar/diagrams.html", () => {
  it("is up to date with the Chevrotain parser (regenerate with `npm run diagrams`)", () => {
    const committed = readFileSync(new URL("../../grammar/diagrams.html", import.meta.url), "utf8");
    expect(committed).toBe(syntaxDiagramsHtml());
  });

  it("draws every grammar rule", () => {
    const html = syntaxDiagramsHtml();
    for (const rule of ["line", "tableLine", "chainLine", "commitLine", "commandLine", "clause", "optionClause"]) {
      expect(html).toContain(`"name": "${rule}"`);
    }
  });
});

describe("the line grammar", () => {
  // kipt runs the parser without Chevrotain's grammar validations (start-up time); they run here.
  it("passes Chevrotain's grammar validations (no ambiguity, no left recursion)", () => {
    expect(() => new LineParser({ validate: true })).not.toThrow();
  });
});
