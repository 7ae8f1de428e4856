/**
 * Promise: text from the dump never reaches a terminal with control or bidi
 * characters intact. One dump carries escape sequences, BEL, CR, backspace,
 * tab, DEL, a C1 control and a right-to-left override in `#` comments, rule
 * comments, chain, interface, ipset, extension and option names and a LOG
 * prefix; every command runs in every output format and nothing raw comes
 * out. JSON and SARIF parse and hold the exact original text.
 *
 * The focused tests next to each renderer (test/graph/render.test.ts,
 * test/lint/format.test.ts, test/kube/render.test.ts, test/trace/cli.test.ts,
 * test/parser/recovery.test.ts) check their escaping rules; this is the one
 * sweep over all commands and formats.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { neutralize } from "../../src/text/sanitize.js";
import { EXIT, kipt, runAll, sample, scratch, type Run } from "./helpers.js";

const tmp = scratch("terminal");
afterAll(tmp.cleanup);

const E = "\u001b";
/** Free text (a comment): CSI colour, an OSC title ended by BEL, BEL, CR, backspace, tab, C1 CSI, RLO, DEL. */
const TEXT = `r${E}[31m${E}]0;title\u0007\u0007\r\b\t\u009b\u202e\u007fz`;
/** Names (one word). */
const CHAIN = `C${E}[31m\u202e`;
const UNREACHED = `U${E}[2J\u009b`;
const IFACE = `e${E}[2J\u009b`;
const SET = `s${E}[31m\u202e`;
const PREFIX = `p${E}[31m\u202e`;
const EXTENSION = `x${E}[31m\u202e`;
const SERVICE = `default/ng${TEXT}:web`;

const dump = readFileSync(sample("nginx.txt"), "utf8")
  .replaceAll("default/nginx:web", SERVICE)
  .replace(
    ":KUBE-SERVICES - [0:0]\n-A INPUT",
    [
      ":KUBE-SERVICES - [0:0]",
      `:${CHAIN} - [0:0]`,
      `:${UNREACHED} - [0:0]`,
      `# ${TEXT}`,
      `-A INPUT -i ${IFACE} -m comment --comment "${TEXT}" -j ${CHAIN}`,
      `-A INPUT -m ${EXTENSION} --o${E}[2J v${E}[0m -j ACCEPT`,
      `-A INPUT -m set --match-set ${SET} src -j DROP`,
      `-A ${CHAIN} -j LOG --log-prefix "${PREFIX}"`,
      `-A ${CHAIN} -m comment --comment "dup ${TEXT}" -j RETURN`,
      `-A ${CHAIN} -m comment --comment "dup ${TEXT}" -j RETURN`,
      `-A ${UNREACHED} -j ACCEPT`,
      "-A INPUT",
    ].join("\n"),
  );
const file = tmp.file("hostile.rules", `# ${TEXT}\n${dump}`);

/** Control characters (C0 but newline, DEL, C1) and the bidi/format characters a terminal or editor acts on. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
/** What JSON.stringify leaves raw: DEL, C1 and bidi/format characters. */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

function shown(s: string): string {
  const m = RAW.exec(s);
  return m ? `U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${m.index}: ${JSON.stringify(s.slice(Math.max(0, m.index - 60), m.index + 20))}` : "none";
}

/** Every string in a parsed JSON document. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) strings(v, out);
  return out;
}

const nodeIp = ["10.0.0.10:22", "--node-ip", "10.0.0.10"];
const serviceIp = ["10.0.33.45:80"];

interface Output {
  readonly args: string[];
  readonly json: boolean;
  /** Hostile text this output must show (escaped in text, exact in JSON): proof it was not just dropped. */
  readonly shows: readonly string[];
  /** How a text format writes shown text (default: neutralized). */
  readonly escape?: (s: string) => string;
}

const outputs: Output[] = [
  { args: ["explain", file], json: false, shows: [CHAIN, UNREACHED] },
  { args: ["explain", file, "-o", "json"], json: true, shows: [CHAIN, UNREACHED] },
  { args: ["trace", file, ...serviceIp], json: false, shows: [TEXT] },
  { args: ["trace", file, ...serviceIp, "-o", "json"], json: true, shows: [TEXT] },
  { args: ["trace", file, ...nodeIp], json: false, shows: [IFACE, EXTENSION, SET] },
  { args: ["trace", file, ...nodeIp, "-o", "json"], json: true, shows: [IFACE, EXTENSION, SET] },
  ...["text", "gcc", "github"].map((f) => ({ args: ["lint", file, "-f", f, "--fail-on", "never"], json: false, shows: [CHAIN, UNREACHED, EXTENSION] })),
  ...["json", "sarif"].map((f) => ({ args: ["lint", file, "-f", f, "--fail-on", "never"], json: true, shows: [CHAIN, UNREACHED] })),
  // DOT strings also escape the backslashes of the visible escapes.
  { args: ["graph", file, "-f", "dot"], json: false, shows: [CHAIN, IFACE, TEXT], escape: (s) => neutralize(s).replace(/[\\"]/g, (c) => `\\${c}`) },
  { args: ["graph", file, "-f", "mermaid"], json: false, shows: [CHAIN, IFACE, TEXT] },
  { args: ["graph", file, "-f", "json"], json: true, shows: [CHAIN, UNREACHED, IFACE, TEXT] },
  { args: ["parse", file], json: true, shows: [CHAIN, UNREACHED, IFACE, SET, PREFIX, EXTENSION, TEXT, SERVICE] },
  { args: ["parse", file, "-o", "text"], json: false, shows: [] },
];

/** "trace -o json", "lint -f sarif", ...: the command and its format option. */
const label = (args: readonly string[]) => {
  const f = args.findIndex((a) => a === "-o" || a === "-f");
  return f < 0 ? args[0]! : `${args[0]} ${args[f]} ${args[f + 1]}`;
};

describe("untrusted text never reaches the terminal raw", () => {
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await runAll(outputs.map((o) => () => kipt(o.args)));
  });

  it("every command in every format: nothing raw on stdout or stderr, the hostile text shown escaped", () => {
    runs.forEach((r, i) => {
      const o = outputs[i]!;
      const what = o.args.join(" ");
      expect(r.code, `${what}\n${r.stderr}`).toBe(EXIT.ok);
      expect(shown(r.stderr), `${what}: stderr`).toBe("none");
      if (o.json) {
        // JSON.stringify escapes C0 controls; the rest is checked below.
        expect(shown(r.stdout.replace(new RegExp(RAW_IN_JSON.source, "g"), "")), `${what}: stdout`).toBe("none");
        const values = strings(JSON.parse(r.stdout));
        for (const s of o.shows) expect(values.some((v) => v.includes(s)), `${what}: holds ${JSON.stringify(s)} exactly`).toBe(true);
      } else {
        expect(shown(r.stdout), `${what}: stdout`).toBe("none");
        for (const s of o.shows) expect(r.stdout, `${what}: shows ${JSON.stringify(s)} escaped`).toContain((o.escape ?? neutralize)(s));
      }
    });
  });

  describe("JSON and SARIF escape DEL, C1 and bidi characters too", () => {
    for (const o of outputs.filter((x) => x.json)) {
      const name = `${label(o.args)}${o.args.includes("--node-ip") ? " (to the node)" : ""}`;
      it(name, () => {
        const r = runs[outputs.indexOf(o)]!;
        expect(r.stdout).not.toMatch(RAW_IN_JSON);
      });
    }
  });

  it("kipt fmt is the exception: it prints the dump itself, byte for byte what iptables-restore is to load", async () => {
    const r = await kipt(["fmt", file]);
    expect(r.code).toBe(EXIT.ok);
    expect(shown(r.stderr)).toBe("none");
    expect(r.stdout).toContain(`--comment "dup ${TEXT}" -j RETURN\n`);
    expect(r.stdout).toContain(`:${CHAIN} - [0:0]\n`);
  });

  it("usage and I/O errors quoting the command line are escaped too", async () => {
    const bad: [string[], number][] = [
      [["graph", file, "--from", `X${E}[2J`], EXIT.usage],
      [["trace", file, `10.0.0.1${E}[2J`], EXIT.usage],
      [["explain", file, `--bogus${E}[2J`], EXIT.usage],
      [["lint", file, "-f", `x${E}]0;t\u0007`], EXIT.usage],
      [["lint", file, "--config", `/nonexistent${E}]0;t\u0007`], EXIT.io],
    ];
    const runs = await runAll(bad.map(([args]) => () => kipt(args)));
    runs.forEach((r, i) => {
      expect(r.code).toBe(bad[i]![1]);
      expect(r.stderr).toMatch(/\\e/);
      expect(shown(r.stderr)).toBe("none");
    });
  });

  it("a file name with control characters is escaped in diagnostics and findings", async () => {
    const named = tmp.file(`name${E}[31m\u202e.rules`, dump);
    const runs = await runAll([["explain", named], ["lint", named, "-f", "text", "--fail-on", "never"], ["lint", named, "-f", "gcc", "--fail-on", "never"]].map((args) => () => kipt(args)));
    for (const r of runs) {
      expect(r.code).toBe(EXIT.ok);
      expect(`${r.stdout}${r.stderr}`).toContain("name\\e[31m\\u202e.rules");
      expect(shown(r.stdout), "stdout").toBe("none");
      expect(shown(r.stderr), "stderr").toBe("none");
    }
  });

  it("a file name with control characters is escaped in GitHub annotations", async () => {
    const named = tmp.file(`gh${E}[31m.rules`, dump);
    const r = await kipt(["lint", named, "-f", "github", "--fail-on", "never"]);
    expect(r.code).toBe(EXIT.ok);
    expect(shown(r.stdout)).toBe("none");
  });
});
