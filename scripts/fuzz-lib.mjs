// The mutation engine behind `npm run fuzz` (scripts/fuzz.mjs) and
// test/fuzz/mutations.test.ts. Everything is deterministic: mutant `i` of a
// campaign with seed `s` is the same bytes on every machine, so a crash or a
// hang is reproduced from (seed, index) alone.
//
// The library is passed in (`api`), so the campaign can run against
// dist/src/index.js and the tests against src/ directly.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One 32-bit seed per (campaign seed, mutant index). */
function mix(seed, index) {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** samples/*.txt, then ../shared/wild/*.txt when present; sorted, as bytes. */
export function loadCorpus(root) {
  const corpus = [];
  for (const dir of [path.join(root, "samples"), path.join(root, "..", "shared", "wild")]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".txt")).sort()) {
      corpus.push({ name: path.relative(root, path.join(dir, name)), bytes: new Uint8Array(readFileSync(path.join(dir, name))) });
    }
  }
  return corpus;
}

const enc = new TextEncoder();
const int = (r, n) => Math.floor(r() * n);

function splitLines(bytes) {
  const lines = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

function concat(parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function insertAt(bytes, at, extra) {
  return concat([bytes.subarray(0, at), extra, bytes.subarray(at)]);
}

/** Size of the giant line; tests may shrink it (the campaign uses 1 MB). */
export const GIANT_LINE = 1 << 20;

/** The mutation operators: (bytes, rng, options) -> bytes. */
export const OPERATORS = {
  flipBytes(b, r) {
    const out = b.slice();
    if (out.length === 0) return out;
    const n = 1 + int(r, 16);
    for (let k = 0; k < n; k++) out[int(r, out.length)] ^= 1 << int(r, 8);
    return out;
  },
  truncate(b, r) {
    return b.slice(0, int(r, b.length + 1));
  },
  shuffleLines(b, r) {
    const lines = splitLines(b);
    if (lines.length < 2) return b;
    // Shuffle a window (a whole-file shuffle mostly tests "rule outside a table").
    const from = int(r, lines.length);
    const to = Math.min(lines.length, from + 2 + int(r, 30));
    for (let i = to - 1; i > from; i--) {
      const j = from + int(r, i - from + 1);
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    return concat(lines);
  },
  duplicateLines(b, r) {
    const lines = splitLines(b);
    if (lines.length === 0) return b;
    const n = 1 + int(r, 8);
    for (let k = 0; k < n; k++) {
      const from = int(r, lines.length);
      const count = 1 + int(r, 5);
      lines.splice(int(r, lines.length + 1), 0, ...lines.slice(from, from + count));
    }
    return concat(lines);
  },
  deleteLines(b, r) {
    const lines = splitLines(b);
    const n = 1 + int(r, 8);
    for (let k = 0; k < n && lines.length; k++) lines.splice(int(r, lines.length), 1 + int(r, 4));
    return concat(lines);
  },
  giantLine(b, r, options) {
    const size = options.giantLine ?? GIANT_LINE;
    const lines = splitLines(b);
    const kinds = [
      () => "-A INPUT " + "-s 10.0.0.1 ".repeat(Math.ceil(size / 12)),
      () => '-A INPUT -m comment --comment "' + "x".repeat(size) + '" -j ACCEPT',
      () => "-A " + "C".repeat(size) + " -j ACCEPT",
      () => ":" + "K".repeat(size) + " - [0:0]",
      () => "-A INPUT -j " + "T".repeat(size),
      () => "# " + "#".repeat(size),
      () => "-A INPUT -p tcp -m multiport --dports " + Array.from({ length: Math.ceil(size / 6) }, (_, i) => i % 65536).join(","),
      () => "-A INPUT " + "! ".repeat(size / 2),
    ];
    const line = enc.encode(kinds[int(r, kinds.length)]().slice(0, size + 64) + "\n");
    lines.splice(int(r, lines.length + 1), 0, line);
    return concat(lines);
  },
  nulBytes(b, r) {
    let out = b;
    const n = 1 + int(r, 6);
    for (let k = 0; k < n; k++) out = insertAt(out, int(r, out.length + 1), new Uint8Array(1 + int(r, 3)));
    return out;
  },
  invalidUtf8(b, r) {
    const bad = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0x80], [0xfe, 0xfe]];
    let out = b;
    const n = 1 + int(r, 4);
    for (let k = 0; k < n; k++) out = insertAt(out, int(r, out.length + 1), Uint8Array.from(bad[int(r, bad.length)]));
    return out;
  },
  binaryNoise(b, r) {
    const noise = new Uint8Array(1 + int(r, 512));
    for (let i = 0; i < noise.length; i++) noise[i] = int(r, 256);
    if (r() < 0.2) return noise;
    return insertAt(b, int(r, b.length + 1), noise);
  },
  /** Valid-looking tokens in the wrong places: the parser's error recovery. */
  tokenSplice(b, r) {
    const words = ["-A", "-j", "-g", "!", "-m", "--comment", '"', "\\", "COMMIT", "*nat", "*filter", ":X - [0:0]", "-N", "-X", "-F", "-P", "-E", "-I", "-D", "-R",
      "--probability", "0.5", "--dport", "65536", "1:0", "0x/", "/33", "::/129", "[1:2]", "[-1:x]", "--to-destination", ":::::", "-p", "-s", "KUBE-SEP-", "\t", "\r", "\u00e9", "\u202e"];
    let out = b;
    const n = 1 + int(r, 8);
    for (let k = 0; k < n; k++) out = insertAt(out, int(r, out.length + 1), enc.encode(" " + words[int(r, words.length)] + " "));
    return out;
  },
  /** One word of a few lines replaced by a hostile one: keeps lines mostly well formed, so later stages see them. */
  wordReplace(b, r) {
    const lines = splitLines(b);
    if (lines.length === 0) return b;
    const dec = new TextDecoder();
    const n = 1 + int(r, 6);
    for (let k = 0; k < n; k++) {
      const at = int(r, lines.length);
      const words = dec.decode(lines[at]).split(" ");
      words[int(r, words.length)] = HOSTILE_WORDS[int(r, HOSTILE_WORDS.length)];
      lines[at] = enc.encode(words.join(" "));
    }
    return concat(lines);
  },
};
// Prototype keys, numeric edge cases, broken addresses and ranges, option names out of place,
// quotes and backslashes, a NUL and lone surrogates (which TextEncoder turns into U+FFFD).
const HOSTILE_WORDS = [
  "__proto__", "constructor", "toString", "hasOwnProperty", "prototype", "ACCEPT", "RETURN", "INPUT", "nat", "*nat", "*__proto__", ":__proto__",
  "-j", "-g", "!", "", "-", "--", "1e308", "NaN", "-0", "-1", "Infinity", "0x", "0xffffffffffffffffffff", "99999999999999999999999", "4294967296",
  "0.", ".5", "1.00000000001", "0.000000000001", "65535:0", "0:65535", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "0.0.0.0/0", "255.255.255.255/33",
  "::", "::/0", "fe80::1%eth0", "[::1]:80", "1.2.3.4:", "1.2.3.4:99999", "1.2.3.4-1.2.3.3", "10.0.0.1-10.0.0.0:80-79", "--probability", "--every", "0",
  "--packet", "--mode", "nth", "random", "--to-destination", "--set-xmark", "--mark", "0x4000/0x4000/0x1", "--ctstate", "NEW,,", "DNAT", "KUBE-SVC-", "KUBE-SEP-",
  "KUBE-MARK-MASQ", "KUBE-SERVICES", '"', '"\\"', "'", "\\", "\u0000", "\uD800", "\uDFFF\uD800", "-m", "statistic", "recent", "--name", "*", "COMMIT",
];
export const OPERATOR_NAMES = Object.keys(OPERATORS);

/**
 * Mutant `index` of the campaign `seed`: a corpus file with one to three
 * operators applied. `options.giantLine` overrides the giant line's size.
 */
export function mutant(corpus, seed, index, options = {}) {
  const r = rng(mix(seed, index));
  const base = corpus[int(r, corpus.length)];
  let bytes = base.bytes;
  const ops = [];
  const n = 1 + int(r, 3);
  for (let k = 0; k < n; k++) {
    const op = OPERATOR_NAMES[int(r, OPERATOR_NAMES.length)];
    ops.push(op);
    bytes = OPERATORS[op](bytes, r, options);
  }
  return { base: base.name, ops, bytes };
}

/** A destination for trace: the first `-d IPv4/32` (and a --dport) the dump mentions, else 10.0.0.1:80. */
export function traceSpecFor(text) {
  const m = /-d (\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})\/32[^\n]*?--dport (\d{1,5})\b/.exec(text);
  let dst = "10.0.0.1";
  let dport = 80;
  if (m && m[1].split(".").every((o) => Number(o) < 256) && Number(m[2]) < 65536) {
    dst = m[1];
    dport = Number(m[2]);
  }
  return { dst, dport, proto: "tcp", src: null, sport: null, from: "external", inIface: null, outIface: null, nodeIps: ["192.168.0.10"], mark: 0, ctstate: "NEW" };
}

export class StageError extends Error {
  constructor(stage, cause) {
    super(`${stage}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.stage = stage;
    this.cause = cause;
  }
}

/**
 * Run one input through every entry point. Throws a StageError naming the
 * stage on any exception (a crash). `api` is the kipt library plus the CLI's
 * `decode`.
 */
export function exercise(api, bytes, file = "fuzz.txt") {
  const stage = (name, fn) => {
    try {
      return fn();
    } catch (error) {
      throw new StageError(name, error);
    }
  };
  const input = stage("decode", () => api.decode(bytes, file));
  const text = input.text;
  const parsed = stage("parse", () => api.parse(text, { file }));
  const formatted = stage("format", () => api.format(parsed.dump));
  stage("format(parse(format))", () => api.format(api.parse(formatted, { file }).dump));
  const ruleset = stage("load", () => api.load(parsed.dump));
  const graph = stage("buildChainGraph", () => api.buildChainGraph(ruleset, { file }));
  stage("renderGraph", () => {
    const view = api.selectView(graph, {});
    for (const f of api.GRAPH_FORMATS) api.renderGraph(view, f);
  });
  const explanation = stage("explain", () => api.explain(ruleset));
  stage("renderExplain", () => {
    api.renderExplainText(explanation);
    api.renderExplainJson(explanation);
  });
  const linted = stage("lint", () => api.lint([{ file, text }]));
  stage("lintFormatters", () => {
    for (const f of api.LINT_FORMATS) api.lintFormatters[f]({ findings: linted.findings, nodes: [{ file, text }], version: "0.0.0-fuzz" });
  });
  const spec = traceSpecFor(text);
  const result = stage("trace", () => api.trace(ruleset, spec, { maxSteps: 200_000 }));
  stage("renderTrace", () => {
    api.traceToText(result);
    JSON.stringify(api.traceToJson(result));
  });
  stage("trace.sum", () => {
    let sum = api.Fraction.ZERO;
    for (const o of result.outcomes) sum = sum.add(o.probability);
    if (!sum.isOne()) throw new Error(`trace outcome probabilities sum to ${sum.toString()}, not 1`);
  });
  stage("trace.local", () => api.trace(ruleset, { ...spec, from: "local", ctstate: "ESTABLISHED" }, { maxSteps: 200_000 }));
  const v6 = /-d ([0-9a-fA-F:]*:[0-9a-fA-F:]*)\/128/.exec(text);
  stage("trace.v6", () => {
    let dst = null;
    try {
      if (v6) dst = api.parseDest(`[${v6[1]}]:53`).ip;
    } catch {
      // not an address after all (a mutant); trace the default
    }
    api.trace(ruleset, { ...spec, dst: dst ?? "fd00::1", dport: 53, proto: "udp", nodeIps: ["fd00::10"] }, { maxSteps: 200_000, assumeRecent: ["*"] });
  });
  return { parsed, formatted };
}
