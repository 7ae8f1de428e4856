/**
 * `kipt lint [FILE...|-]`: the command, registered by src/cli/main.ts.
 * Reads every dump (one per node), lints them together, prints the findings
 * in the chosen format on standard output and sets the exit code: 0 when
 * nothing is at or above `--fail-on`, 1 when something is, 2 for bad usage
 * or a config, baseline or endpoints file that is wrong, 3 for I/O failures
 * (a dump or one of those files that cannot be read).
 */
import ipaddr from "ipaddr.js";
import { InvalidArgumentError, Option, type Command } from "commander";
import { colourFor } from "../cli/output.js";
import { ExitCode } from "../cli/exit-codes.js";
import { InputError, readInput } from "../cli/io.js";
import { UsageError } from "../cli/usage.js";
import { readClusterEndpoints } from "../kube/endpoints-file.js";
import { neutralize } from "../text/sanitize.js";
import { ConfigError, ConfigReadError, configurable, loadConfig, readSideFile } from "./config.js";
import { formatters, LINT_FORMATS, type LintFormat } from "./format/index.js";
import { failsAt, lint, readBaseline, writeBaseline, type LintRunOptions } from "./run.js";
import type { Severity } from "../diagnostics/diagnostic.js";

interface LintCommandOptions {
  format: LintFormat;
  failOn: Severity | "never";
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  endpoints?: string;
  clusterCidr?: string;
}

function cidr(value: string): string {
  try {
    ipaddr.parseCIDR(value);
    return value;
  } catch {
    throw new InvalidArgumentError("expected a CIDR such as 10.244.0.0/16");
  }
}

function readEndpoints(file: string): unknown {
  const text = readSideFile(file, { expected: "the JSON of EndpointSlices or Endpoints" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: --endpoints is not valid JSON (${(error as Error).message})`);
  }
  // An empty list is a cluster with nothing in it; anything else must hold EndpointSlices or Endpoints.
  const emptyList = typeof value === "object" && value !== null && Array.isArray((value as { items?: unknown }).items) && (value as { items: unknown[] }).items.length === 0;
  if (!emptyList && readClusterEndpoints(value) === null) {
    throw new ConfigError(`${file}: --endpoints holds no EndpointSlice or Endpoints (expected the JSON of 'kubectl get endpointslices -A -o json' or 'kubectl get endpoints -A -o json')`);
  }
  return value;
}

export function registerLintCommand(program: Command, setExit: (code: number) => void, version: string): void {
  program
    .command("lint")
    .description("check dumps for mistakes (undefined targets, loops, unreachable and shadowed rules, ...); several files are linted together, one per node")
    .argument("[files...]", "dumps to read; '-' for standard input", ["-"])
    .addOption(new Option("-f, --format <format>", "output format").choices([...LINT_FORMATS]).default("text"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").choices(["error", "warning", "info", "never"]).default("error"))
    .option("--config <file>", "configuration file (default: the nearest .kiptrc.json)")
    .option("--baseline <file>", "report only findings not recorded in this baseline")
    .option("--write-baseline <file>", "record today's findings in this file and report only the errors no baseline can hide")
    .option("--endpoints <file>", "endpoints JSON for the Kubernetes checks")
    .option("--cluster-cidr <cidr>", "the cluster's pod CIDR, for the Kubernetes checks", cidr)
    .action((files: string[], options: LintCommandOptions) => {
      try {
        const config = loadConfig(options.config);
        const baseline = options.baseline !== undefined ? readBaseline(options.baseline) : undefined;
        const endpoints = options.endpoints !== undefined ? readEndpoints(options.endpoints) : undefined;
        const names = files.length === 0 ? ["-"] : files;
        if (names.filter((f) => f === "-").length > 1) throw new UsageError("standard input ('-') can be read only once");
        const inputs = names.map((name) => {
          const input = readInput(name);
          return { file: input.name, text: input.text, diagnostics: input.diagnostics };
        });
        const runOptions: LintRunOptions = {
          config,
          ...(baseline ? { baseline } : {}),
          ...(endpoints !== undefined ? { endpoints } : {}),
          ...(options.clusterCidr !== undefined ? { clusterCidr: options.clusterCidr } : {}),
        };
        const result = lint(inputs, runOptions);
        let findings = result.findings;
        if (options.writeBaseline !== undefined) {
          try {
            writeBaseline(options.writeBaseline, result.all);
          } catch (error) {
            throw new InputError(`${options.writeBaseline}: cannot write baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
          }
          // Errors iptables-restore fails on are never recorded (see subtractBaseline): they are reported as usual.
          findings = result.all.filter((f) => !configurable(f.id, f.severity));
          const recorded = result.all.length - findings.length;
          process.stderr.write(`kipt: wrote ${recorded} finding${recorded === 1 ? "" : "s"} to ${neutralize(options.writeBaseline)}${findings.length > 0 ? `; ${findings.length} error${findings.length === 1 ? "" : "s"} that iptables-restore fails on cannot be recorded and ${findings.length === 1 ? "is" : "are"} reported` : ""}\n`);
        } else if (result.baselined > 0 && options.format === "text") {
          process.stderr.write(`kipt: ${result.baselined} known finding${result.baselined === 1 ? "" : "s"} hidden by the baseline\n`);
        }
        const c = colourFor(process.stdout);
        const paint = (severity: Severity, text: string) => (severity === "error" ? c.red(text) : severity === "warning" ? c.yellow(text) : c.cyan(text));
        process.stdout.write(formatters[options.format]({ findings, nodes: result.nodes, version }, { paint }));
        setExit(failsAt(findings, options.failOn) ? ExitCode.findings : ExitCode.ok);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        // No usage hint: the mistake is in the file, which --help does not describe.
        process.stderr.write(`kipt: error: ${neutralize(error.message)}\n`);
        // A file that cannot be read is an I/O failure, as a dump that cannot be; one that was read but is wrong is bad usage.
        setExit(error instanceof ConfigReadError ? ExitCode.io : ExitCode.usage);
      }
    });
}
