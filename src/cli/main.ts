/**
 * The kipt command line: a thin layer that wires the library's stages to
 * files, flags and exit codes. Nothing here knows iptables.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { buildChainGraph } from "../graph/chain-graph.js";
import { GRAPH_FORMATS, renderGraph, selectView, ViewError, type GraphFormat, type GraphView } from "../graph/render.js";
import { load } from "../model/load.js";
import { prepareFormat } from "../parallel/format-parallel.js";
import { parse } from "../parser/parse.js";
import { neutralize } from "../text/sanitize.js";
import { ExitCode } from "./exit-codes.js";
import { InputError, readInput, type Input } from "./io.js";
import { hasErrors, printDiagnostics, writeJson } from "./output.js";
import { reportUsageErrors, UsageError, usageLine } from "./usage.js";
import { collect, ipOption, runTrace, specFromCli, type TraceCliOptions } from "../trace/cli.js";
import { DestError, unbracketedPortHint } from "../trace/packet.js";
import { registerLintCommand } from "../lint/cli.js";
import { registerExplainCommand } from "../kube/cli.js";

const VERSION = "0.1.0";

function positiveInt(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`${option} takes a whole number from 1 to 64`);
  return n;
}

function parseInput(input: Input) {
  const result = parse(input.text, { file: input.name });
  return { ...result, diagnostics: [...input.diagnostics, ...result.diagnostics] };
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name("kipt")
    .description("Explain what a node's iptables rules really do (iptables-save / ip6tables-save dumps; kube-proxy first).")
    .version(VERSION, "-V, --version")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  // Commands in the order people reach for them (this is the order of --help).
  registerExplainCommand(program, setExit);

  program
    .command("trace")
    .description("follow a packet through the rules: every outcome with its probability, NAT and path")
    .usage("[options] [FILE|-] DEST")
    .argument("[file]", "dump to read; '-' for standard input (default '-' when only DEST is given)")
    .argument("[dest]", "destination: IP:port, [IPv6]:port or a bare IP")
    .addOption(new Option("--proto <proto>", "protocol").choices(["tcp", "udp", "sctp", "icmp"]).default("tcp"))
    .option("--src <ip>", "source address (default: one outside every source range in the rules)")
    .option("--sport <n>", "source port (default 43210)")
    .addOption(new Option("--from <where>", "where the packet comes from").choices(["external", "local"]).default("external"))
    .option("--in-iface <if>", "incoming interface")
    .option("--out-iface <if>", "outgoing interface")
    .option("--node-ip <ip>", "an address of this node (repeatable); addrtype LOCAL and the routing decision use them", ipOption("--node-ip"), [])
    .option("--mark <n>", "packet mark on arrival (decimal or 0x hex)")
    .option("--ctstate <state>", "conntrack state: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED", "NEW")
    .option("--recent-hit <name>", "assume the client is already in this -m recent list (session affinity); '*' for every list (repeatable)", collect, [])
    .addOption(new Option("-o, --output <format>", "output format").choices(["text", "json"]).default("text"))
    .action((file: string | undefined, dest: string | undefined, options: TraceCliOptions) => {
      if (dest === undefined) [file, dest] = ["-", file];
      if (dest === undefined) throw new UsageError("trace needs a destination: kipt trace [FILE|-] DEST (IP:port, [IPv6]:port or IP)");
      let spec;
      try {
        spec = specFromCli(dest, options);
        // Not an error: `fd00::1:80` is an address, but maybe not the one meant.
        const hint = unbracketedPortHint(dest);
        if (hint !== null) process.stderr.write(`kipt: note: ${neutralize(hint)}\n`);
      } catch (error) {
        if (error instanceof DestError) throw new UsageError(error.message);
        throw error;
      }
      const traced = runTrace(readInput(file ?? "-"), spec, options);
      printDiagnostics(traced.diagnostics);
      for (const note of traced.notes) process.stderr.write(`kipt: note: ${neutralize(note)}\n`);
      process.stdout.write(traced.output);
      setExit(hasErrors(traced.diagnostics) ? ExitCode.findings : ExitCode.ok);
    });

  registerLintCommand(program, setExit, VERSION);

  program
    .command("graph")
    .description("print how chains jump to each other (DOT, Mermaid or JSON); report undefined targets, loops and unreachable chains")
    .argument("[file]", "dump to read; '-' for standard input", "-")
    .option("--table <table>", "only this table")
    .option("--from <chain>", "only the chains this chain reaches (itself included)")
    .addOption(new Option("-f, --format <format>", "output format").choices([...GRAPH_FORMATS]).default("dot"))
    .action((file: string, options: { table?: string; from?: string; format: GraphFormat }) => {
      const result = parseInput(readInput(file));
      const chainGraph = buildChainGraph(load(result.dump), { file: result.dump.file });
      let view: GraphView;
      try {
        view = selectView(chainGraph, options);
      } catch (error) {
        throw error instanceof ViewError ? new UsageError(error.message) : error;
      }
      const diagnostics = [...result.diagnostics, ...view.diagnostics];
      // JSON carries the diagnostics itself, as `kipt parse -o json` does.
      if (options.format !== "json") printDiagnostics(diagnostics);
      process.stdout.write(renderGraph(view, options.format, result.diagnostics));
      setExit(hasErrors(diagnostics) ? ExitCode.findings : ExitCode.ok);
    });

  program
    .command("fmt")
    .description("print the dump in canonical iptables-save form (what iptables-save prints after iptables-restore loads it)")
    .argument("[file]", "dump to read; '-' for standard input", "-")
    .option("--force", "print what could be parsed even when the input has errors")
    .option("--threads <n>", "threads for large dumps, the main one included (1 = no worker threads)", (v) => positiveInt(v, "--threads"))
    .action(async (file: string, options: { force?: boolean; threads?: number }) => {
      const input = readInput(file);
      const prepared = await prepareFormat(input.text, { file: input.name, ...(options.threads ? { threads: options.threads } : {}) });
      const diagnostics = [...input.diagnostics, ...prepared.diagnostics];
      printDiagnostics(diagnostics);
      const failed = hasErrors(diagnostics);
      // Written a piece at a time: a large dump is never one string and one buffer in memory.
      if (!failed || options.force) prepared.write((piece) => process.stdout.write(piece));
      setExit(failed ? ExitCode.findings : ExitCode.ok);
    });

  program
    .command("parse")
    .description("print the typed AST and diagnostics")
    .argument("[file]", "dump to read; '-' for standard input", "-")
    .addOption(new Option("-o, --output <format>", "output format").choices(["json", "text"]).default("json"))
    .action((file: string, options: { output: string }) => {
      const result = parseInput(readInput(file));
      if (options.output === "json") {
        writeJson({ schemaVersion: 1, dump: result.dump, diagnostics: result.diagnostics });
      } else {
        printDiagnostics(result.diagnostics);
        for (const table of result.dump.tables) {
          const rules = table.statements.filter((s) => s.kind === "rule").length;
          const chains = table.statements.filter((s) => s.kind === "chainDecl").length;
          process.stdout.write(`${neutralize(table.name)}: ${chains} chains declared, ${rules} rules${table.commit ? "" : " (not committed)"}\n`);
        }
      }
      setExit(hasErrors(result.diagnostics) ? ExitCode.findings : ExitCode.ok);
    });

  reportUsageErrors(program);
  return program;
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exit: number = ExitCode.ok;
  const program = buildProgram((code) => {
    exit = code;
  });
  // The command whose action runs, for the hint of a usage error kipt finds there.
  let running: Command = program;
  program.hook("preAction", (_program, action) => {
    running = action;
  });
  try {
    await program.parseAsync([...argv]);
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return ExitCode.ok;
      // `kipt help` asked for help; `kipt` alone (or `kipt help nope`) gets it,
      // on standard error, because the command is missing: bad usage.
      if (error.code === "commander.help") return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      // Commander already printed its one-line message (reportUsageErrors).
      return ExitCode.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(usageLine(running, error.message));
      return ExitCode.usage;
    }
    if (error instanceof InputError) {
      process.stderr.write(`kipt: error: ${neutralize(error.message)}\n`);
      return ExitCode.io;
    }
    const detail = error instanceof Error ? error.message : String(error);
    process.stderr.write(`kipt: internal error: ${neutralize(detail)} (please report this with the input that caused it)\n`);
    if (process.env.KIPT_DEBUG && error instanceof Error && error.stack) process.stderr.write(neutralize(error.stack) + "\n");
    return ExitCode.io;
  }
}
