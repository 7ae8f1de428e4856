/**
 * Promise: kipt never executes, loads or fetches anything its input names.
 * A dump is data: comments, chain, ipset and extension names, LOG prefixes
 * that spell shell commands, paths or URLs are only ever printed.
 *
 * 1. Statically: no module under src/ can run a process, open a socket, load
 *    code at run time or evaluate text (checked on the TypeScript AST).
 * 2. At run time: each command runs under Node's permission model, which
 *    refuses child processes, worker threads and every file write, and
 *    allows reading only kipt itself and the input. (Node 20's model has no
 *    network switch; (1) covers the network.)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, kipt, root, runAll, scratch } from "./helpers.js";

const tmp = scratch("no-exec");
afterAll(tmp.cleanup);

// ---------------------------------------------------------------------------
// 1. Static

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

/** Node built-ins kipt may import, and why. */
const ALLOWED_BUILTINS: Record<string, string> = {
  "node:fs": "reading the files named on the command line; writing --write-baseline",
  "node:path": "paths",
  "node:url": "locating kipt's own files",
  "node:os": "the number of cores for --threads",
  "node:crypto": "SHA-256 of kube-proxy chain names and lint fingerprints",
  "node:worker_threads": "kipt fmt --threads (src/parallel only)",
  "node:tty": "whether standard input is a terminal",
  "node:v8": "the heap limit, to refuse an input too large to analyse",
};

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

/** Everything in one file that could run, load or fetch something, and every module it imports. */
function inspect(file: string): { imports: string[]; findings: Finding[] } {
  const text = readFileSync(path.join(root, file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const imports: string[] = [];
  const findings: Finding[] = [];
  const usesCommander = /from "commander"/.test(text);
  const flag = (node: ts.Node, what: string) => findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, what });
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) flag(node, "dynamic import()");
      else if (ts.isIdentifier(callee) && ["require", "eval", "fetch", "Function", "createRequire"].includes(callee.text)) flag(node, `${callee.text}()`);
      else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "process" && ["binding", "dlopen", "_linkedBinding"].includes(callee.name.text)) {
        flag(node, `process.${callee.name.text}()`);
      } else if (usesCommander && ts.isPropertyAccessExpression(callee) && callee.name.text === "command" && node.arguments.length > 1) {
        // commander runs `<program>-<name>` as a separate executable for `.command(name, description)`.
        flag(node, "commander executable subcommand");
      }
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && ["Function", "Worker", "WebSocket", "XMLHttpRequest", "EventSource"].includes(node.expression.text)) {
      flag(node, `new ${node.expression.text}()`);
    } else if (ts.isIdentifier(node) && node.text === "WebAssembly") {
      flag(node, "WebAssembly");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, findings };
}

/** The only places that load code at run time: kipt's own files, at paths fixed in the source. */
const ALLOWED_FINDINGS = [
  // bin/kipt.js loads the bundled CLI beside it: new URL("../dist/kipt-cli.js", import.meta.url).
  "bin/kipt.js dynamic import()",
  // kipt fmt --threads N starts workers on kipt's own worker.js / kipt-worker.js (see workerScript()).
  "src/parallel/format-parallel.ts new Worker()",
];

describe("static: nothing under src/ can execute, load or fetch", () => {
  const files = [...sourceFiles("src"), "bin/kipt.js"];
  const inspected = files.map((file) => ({ file, ...inspect(file) }));
  const dependencies = Object.keys((JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);

  it("imports only kipt's own modules, its dependencies and harmless Node built-ins", () => {
    const outside = inspected.flatMap(({ file, imports }) =>
      imports.filter((m) => !m.startsWith(".") && !(m in ALLOWED_BUILTINS) && !dependencies.includes(m)).map((m) => `${file}: ${m}`),
    );
    expect(outside).toEqual([]);
    const workers = inspected.filter(({ imports }) => imports.includes("node:worker_threads")).map(({ file }) => file);
    expect(workers).toEqual(["src/parallel/format-parallel.ts", "src/parallel/worker.ts"]);
  });

  it("no dynamic import, require, eval, new Function, fetch, sockets or process bindings, but for kipt's own files", () => {
    const found = inspected.flatMap(({ findings }) => findings.map((f) => `${f.file} ${f.what}`));
    expect(found.sort()).toEqual([...ALLOWED_FINDINGS].sort());
    // The exceptions load paths fixed in the source, never one from the input.
    expect(readFileSync(path.join(root, "bin/kipt.js"), "utf8")).toContain('new URL("../dist/kipt-cli.js", import.meta.url)');
    const parallel = readFileSync(path.join(root, "src/parallel/format-parallel.ts"), "utf8");
    expect(parallel).toContain('for (const name of ["./worker.js", "./kipt-worker.js"])');
    expect(parallel).toContain("new Worker(script, ");
  });

  it("writes a file only for --write-baseline", () => {
    const writers = files.filter((f) => /\b(writeFileSync|appendFileSync|createWriteStream|writeFile|appendFile|mkdirSync|rmSync|unlinkSync|renameSync|copyFileSync|symlinkSync|chmodSync)\b/.test(readFileSync(path.join(root, f), "utf8")));
    expect(writers).toEqual(["src/lint/run.ts"]);
  });
});

// ---------------------------------------------------------------------------
// 2. Dynamic: under the permission model

const bait = path.join(tmp.dir, "bait");
/** Shell, paths and URLs everywhere a dump has text. */
const dump = tmp.file(
  "exec.rules",
  [
    `# $(touch ${bait}/0) \`touch ${bait}/1\` ; touch ${bait}/2 | sh`,
    "*filter",
    ":INPUT ACCEPT [0:0]",
    ":FORWARD ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ":$(id) - [0:0]",
    ":/etc/shadow - [0:0]",
    ":http://example.com/x - [0:0]",
    `-A INPUT -m comment --comment "$(touch ${bait}/3)" -j $(id)`,
    `-A INPUT -m comment --comment "\`touch ${bait}/4\`; /etc/shadow; file:///etc/passwd; http://example.com/x" -j /etc/shadow`,
    "-A INPUT -m set --match-set /etc/shadow src -j http://example.com/x",
    "-A INPUT -m set --match-set http://example.com/x dst -j DROP",
    "-A INPUT -m ../../../../etc/passwd --x 1 -j ACCEPT",
    `-A $(id) -j LOG --log-prefix "$(touch ${bait}/5) "`,
    '-A /etc/shadow -j NFLOG --nflog-prefix "|sh -c id"',
    "-A http://example.com/x -j RETURN",
    "-A OUTPUT -j /bin/sh",
    "COMMIT",
    "",
  ].join("\n"),
);
mkdirSync(bait);

/**
 * Read access: kipt itself (the repository: bin, dist, node_modules) and the
 * input, nothing else. (`kipt lint` looks for `.kiptrc.json` in every parent
 * directory; a look the sandbox refuses counts as "no such file".)
 */
function sandbox(input: string): string[] {
  return [PERMISSION_FLAG, "--no-warnings", `--allow-fs-read=${root}`, `--allow-fs-read=${input}`];
}

/** Node's permission model: `--experimental-permission` until Node 23.5 renamed it `--permission`. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";

describe("at run time: hostile names in a dump are only printed", () => {
  it("the sandbox itself refuses to start a process (so the test below could catch one)", () => {
    const r = spawnSync(process.execPath, [PERMISSION_FLAG, "--no-warnings", `--allow-fs-read=${root}`, "-e", "require('node:child_process').execFileSync('true')"], { encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("ERR_ACCESS_DENIED");
  });

  it("explain, trace, lint, graph, fmt and parse give the same output and exit code with and without the sandbox, and create nothing", async () => {
    const commands = [["explain", dump], ["trace", dump, "10.0.0.10:22", "--node-ip", "10.0.0.10"], ["lint", dump], ["graph", dump], ["fmt", dump], ["parse", dump]];
    const free = await runAll(commands.map((args) => () => kipt(args)));
    const boxed = await runAll(commands.map((args) => () => kipt(args, { nodeArgs: sandbox(dump) })));
    commands.forEach((args, i) => {
      const what = args[0]!;
      expect(boxed[i]!.stderr, what).not.toContain("ERR_ACCESS_DENIED");
      expect(boxed[i], what).toEqual(free[i]);
      expect([EXIT.ok, EXIT.findings], what).toContain(boxed[i]!.code);
    });
    // The graph and lint see `-j /bin/sh` as what it is: a target that does not exist.
    expect(free[2]!.stdout).toContain("KIPT2001");
    expect(readdirSync(bait)).toEqual([]);
    expect(readdirSync(tmp.dir).sort()).toEqual(["bait", "exec.rules"]);
  });
});
