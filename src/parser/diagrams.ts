/**
 * Syntax diagrams of the line grammar, drawn by Chevrotain from the parser
 * itself, so they can never drift from what kipt accepts.
 */
import { createSyntaxDiagramsCode } from "chevrotain";
import { LineParser } from "./grammar.js";

export function syntaxDiagramsHtml(): string {
  const parser = new LineParser();
  // Load the drawing scripts from the installed chevrotain package rather than a CDN,
  // so the page works offline from a checkout after `npm ci`.
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions(), {
    resourceBase: "../node_modules/chevrotain/diagrams/",
    css: "../node_modules/chevrotain/diagrams/diagrams.css",
  });
}
