/**
 * Consistency between `kipt explain` and `kipt trace`: for every frontend
 * of every kube-proxy sample and fixture, the endpoints and exact kernel
 * shares the model explains equal the DNAT outcomes the packet simulator
 * computes for a new connection to that frontend, from outside the node
 * and from the node itself.
 *
 * The simulator is src/trace (another stage); this suite runs only when
 * src/trace/index.ts exists and exports `trace`, and imports it
 * dynamically so the kube tests never depend on it at compile time.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ipaddr from "ipaddr.js";
import { afterAll, describe, expect, it } from "vitest";
import type { Ruleset } from "../../src/model/load.js";
import { buildKubeModel, type KubeEndpointShare, type KubeFrontend } from "../../src/kube/model.js";
import { fixture, read, root, rulesetOf, sample } from "./helpers.js";

interface TraceFraction {
  readonly num: bigint;
  readonly den: bigint;
}
interface TraceOutcomeLike {
  readonly probability: TraceFraction;
  readonly verdict: string;
  readonly dnat: string | null;
  readonly uncertain: readonly string[];
  readonly service?: string | null;
  readonly path?: readonly { readonly table: string; readonly chain: string }[];
}
type TraceFn = (ruleset: Ruleset, spec: Record<string, unknown>, options?: Record<string, unknown>) => { outcomes: readonly TraceOutcomeLike[] };

const tracePath = path.join(root, "src/trace/index.ts");
let traceFn: TraceFn | null = null;
if (existsSync(tracePath)) {
  const mod = (await import("../../src/trace/index.js")) as { trace?: unknown };
  if (typeof mod.trace === "function") traceFn = mod.trace as TraceFn;
}

/** Dumps from the benchmark generator (real hashes, every feature mixed), when it is there. */
function generated(): { file: string; nodeIp: string }[] {
  const gen = path.join(root, "bench/gen-kube-dump.mjs");
  if (!existsSync(gen)) return [];
  const dir = mkdtempSync(path.join(tmpdir(), "kipt-kube-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const out: { file: string; nodeIp: string }[] = [];
  for (const [form, seed] of [["save", "11"], ["restore", "12"]] as const) {
    const file = path.join(dir, `generated-${form}-seed${seed}.txt`);
    execFileSync(process.execPath, [gen, "--services", "40", "--seed", seed, "--form", form, "--out", file], { stdio: "ignore" });
    out.push({ file, nodeIp: "192.168.1.10" });
  }
  return out;
}

const CASES: readonly { file: string; nodeIp: string }[] = [
  ...generated(),
  { file: sample("nginx.txt"), nodeIp: "192.168.56.10" },
  { file: sample("kube-proxy-node.txt"), nodeIp: "192.168.56.10" },
  { file: sample("ip6-host.txt"), nodeIp: "2001:db8:56::10" },
  { file: fixture("k8s-1.20-masq-in-services.txt"), nodeIp: "192.168.60.10" },
  { file: fixture("k8s-1.16-five-decimals.rules"), nodeIp: "192.168.60.10" },
  { file: fixture("k8s-1.23-xlb.txt"), nodeIp: "192.168.60.10" },
  { file: fixture("large-cluster.txt"), nodeIp: "192.168.60.10" },
  { file: fixture("partial-payload.rules"), nodeIp: "192.168.60.10" },
];

/** An address inside a CIDR (the network address plus 7). */
function inside(cidr: string): string {
  const [addr, len] = ipaddr.parseCIDR(cidr);
  const bytes = addr.toByteArray();
  bytes[bytes.length - 1] = (bytes[bytes.length - 1]! | 7) & 0xff;
  void len;
  return ipaddr.fromByteArray(bytes).toString();
}

function contains(cidr: string, ip: string): boolean {
  const [net, len] = ipaddr.parseCIDR(cidr);
  const a = ipaddr.parse(ip);
  return a.kind() === net.kind() && (a as ipaddr.IPv4).match(net as ipaddr.IPv4, len);
}

function explained(list: readonly KubeEndpointShare[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of list) out[e.address ?? "?"] = e.kernel.toString();
  return out;
}

/**
 * The DNAT outcomes of a trace, by destination. When the host's own rules
 * make the trace uncertain before kube-proxy's (rpfilter, unknown
 * interfaces), the shares are taken relative to the traffic that reached
 * nat KUBE-SERVICES, which is what the model explains.
 */
function traced(outcomes: readonly TraceOutcomeLike[]): Record<string, string> {
  const sums = new Map<string, { num: bigint; den: bigint }>();
  const uncertain = outcomes.some((o) => o.uncertain.length > 0);
  let mass = { num: 0n, den: 1n };
  for (const o of outcomes) {
    if (!reachedKube(o)) continue;
    mass = { num: mass.num * o.probability.den + o.probability.num * mass.den, den: mass.den * o.probability.den };
  }
  for (const o of outcomes) {
    if (o.dnat === null) continue;
    const there = sums.get(o.dnat);
    const p = o.probability;
    if (!there) sums.set(o.dnat, { num: p.num, den: p.den });
    else sums.set(o.dnat, { num: there.num * p.den + p.num * there.den, den: there.den * p.den });
  }
  const out: Record<string, string> = {};
  for (const [k, share] of sums) {
    const v = uncertain ? { num: share.num * mass.den, den: share.den * mass.num } : share;
    let [a, b] = [v.num, v.den];
    while (b !== 0n) [a, b] = [b, a % b];
    out[k] = `${v.num / a}/${v.den / a}`;
  }
  return out;
}

function reachedKube(o: TraceOutcomeLike): boolean {
  return (o.path ?? []).some((step) => step.table === "nat" && step.chain === "KUBE-SERVICES");
}

/**
 * kube-proxy's restore payloads (the .rules fixtures) do not carry the
 * jumps from the built-in chains: kube-proxy installs those with
 * EnsureRule. Add them, as they are on a node, so packets reach the payload.
 */
function withBuiltinJumps(text: string, file: string): string {
  if (!file.endsWith(".rules")) return text;
  const jumps = [
    ":PREROUTING ACCEPT [0:0]",
    ":OUTPUT ACCEPT [0:0]",
    ":POSTROUTING ACCEPT [0:0]",
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
  ];
  return text.replace(/^\*nat\n((?::.*\n)*)/m, (_m, decls: string) => `*nat\n${decls}${jumps.join("\n")}\n`);
}

function dest(f: KubeFrontend, nodeIp: string): string {
  return f.ip ?? nodeIp;
}

describe.skipIf(traceFn === null)("explain agrees with trace (src/trace)", () => {
  for (const { file, nodeIp } of CASES) {
    describe(path.basename(file), () => {
      const ruleset = rulesetOf(withBuiltinJumps(read(file), file), file);
      const model = buildKubeModel(ruleset);
      for (const s of model.services) {
        for (const f of s.frontends) {
          if (f.type === "HealthCheckNodePort" || f.missingChains.length > 0) continue;
          const label = `${s.name ?? s.hash} ${f.type} ${f.ip ?? "*"}:${f.port}`;
          const base = { dst: dest(f, nodeIp), dport: f.port, proto: s.protocol, sport: null, inIface: null, outIface: null, nodeIps: [nodeIp], mark: 0, ctstate: "NEW" };
          it(`${label} from outside the node`, () => {
            const src = f.sourceRanges.length > 0 ? inside(f.sourceRanges[0]!) : null;
            const result = traceFn!(ruleset, { ...base, src, from: "external" });
            if (f.endpoints.length > 0) expect(result.outcomes.some(reachedKube)).toBe(true);
            expect(traced(result.outcomes)).toEqual(explained(f.endpoints));
            // No (local) endpoints: the filter table (or KUBE-MARK-DROP) decides, as the model says.
            if (f.endpoints.length === 0 && f.whenNoEndpoints) {
              expect(result.outcomes.map((o) => o.verdict)).toEqual([f.whenNoEndpoints.action]);
            }
            if (f.endpoints.length > 0 && s.name !== null) {
              for (const o of result.outcomes) if (o.dnat !== null && o.service !== undefined) expect(o.service).toBe(s.name);
            }
          });
          // From the node: an LB with source ranges admits the node only when a range holds its address.
          const admitted = f.sourceRanges.length === 0 || f.sourceRanges.some((r) => contains(r, nodeIp));
          it.skipIf(!admitted)(`${label} from the node itself`, () => {
            const result = traceFn!(ruleset, { ...base, src: nodeIp, from: "local" });
            if (!result.outcomes.some(reachedKube)) {
              // The host's own rules keep the packet from nat (ip6-host: `-o lo -j CT --notrack` for a
              // NodePort on the node's own address): nothing of kube-proxy's applies, and nothing is DNATed.
              expect(traced(result.outcomes)).toEqual({});
              return;
            }
            expect(traced(result.outcomes)).toEqual(explained(f.endpointsFromNode));
          });
        }
      }
    });
  }
});
