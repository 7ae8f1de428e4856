/**
 * `kipt explain [FILE|-] [-o text|json]`, registered by the CLI with one
 * call so the command's wiring lives next to what it runs.
 */
import { Option, type Command } from "commander";
import { colourFor, hasErrors, printDiagnostics, writeJson } from "../cli/output.js";
import { readInput } from "../cli/io.js";
import { ExitCode } from "../cli/exit-codes.js";
import { explain } from "./explain.js";
import { explanationToJson } from "./render-json.js";
import { renderText } from "./render-text.js";

export function registerExplainCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command("explain")
    .description("explain the dump: kube-proxy services (frontends, endpoints, shares, policies), tables, owners, NAT")
    .argument("[file]", "dump to read; '-' for standard input", "-")
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action((file: string, options: { output: "text" | "json" }) => {
      const input = readInput(file);
      const x = explain(input.text, { file: input.name });
      const diagnostics = [...input.diagnostics, ...x.diagnostics];
      printDiagnostics(diagnostics);
      if (options.output === "json") writeJson(explanationToJson(x));
      else process.stdout.write(renderText(x, { colour: colourFor(process.stdout) }));
      setExit(hasErrors(diagnostics) ? ExitCode.findings : ExitCode.ok);
    });
}
