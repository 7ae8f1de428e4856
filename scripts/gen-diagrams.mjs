#!/usr/bin/env node
// Regenerates grammar/diagrams.html from the Chevrotain parser (npm run diagrams).
import { writeFileSync } from "node:fs";
import { syntaxDiagramsHtml } from "../dist/src/parser/diagrams.js";

writeFileSync(new URL("../grammar/diagrams.html", import.meta.url), syntaxDiagramsHtml());
console.log("wrote grammar/diagrams.html");
