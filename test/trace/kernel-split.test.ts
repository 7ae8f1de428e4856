/**
 * The kernel as oracle for `kipt trace`'s probabilities.
 *
 * Two network namespaces of this test's own (a server and a client), joined
 * by a veth pair created inside them, with addresses from 10.250.0.0/16
 * given to their interfaces only. The server namespace gets a small
 * kube-proxy-like nat ruleset: a ClusterIP 10.250.9.9:80 spread by a
 * statistic cascade over three endpoints, which are three addresses on the
 * server's loopback with tiny node listeners. The client opens a few hundred
 * connections to the ClusterIP; the packet counters of the SEP DNAT rules
 * (`iptables-save -c`) give the kernel's split, checked against trace's
 * probabilities with a chi-square test.
 *
 * Root only, and skipped loudly when `ip`, iptables-restore or iptables-save
 * is missing. Nothing on the host is touched; the namespaces are always
 * deleted and the listener always killed. Bounded: 300 connections, each
 * with a timeout, and the whole test well under a minute.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { trace } from "../../src/trace/trace.js";
import { rulesetOf, spec } from "./helpers.js";

function unavailable(): string | null {
  if (process.getuid?.() !== 0) return "not root";
  for (const tool of ["ip", "iptables-restore", "iptables-save"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} not found (apt: iproute2 / iptables)`;
  }
  const probe = spawnSync("ip", ["netns", "list"], { encoding: "utf8" });
  if (probe.status !== 0) return `'ip netns' does not work here: ${(probe.stderr || "").trim()}`;
  return null;
}

const why = unavailable();
if (why) {
  console.warn(
    ["", "=".repeat(72), `  SKIPPED: kernel-split (trace's probabilities against the kernel): ${why}.`,
      "  It needs root, `ip netns` and iptables-restore/-save (run: sudo npx vitest run test/trace/kernel-split.test.ts).", "=".repeat(72), ""].join("\n"),
  );
}

const SRV = `kipt-trace-srv-${process.pid}`;
const CLI = `kipt-trace-cli-${process.pid}`;
const CONNECTIONS = 300;
const ENDPOINTS = [
  ["10.250.1.1", 8081, "KUBE-SEP-AAAAAAAAAAAAAAAA"],
  ["10.250.1.2", 8082, "KUBE-SEP-BBBBBBBBBBBBBBBB"],
  ["10.250.1.3", 8083, "KUBE-SEP-CCCCCCCCCCCCCCCC"],
] as const;

const RULES = [
  "*nat",
  ":PREROUTING ACCEPT [0:0]",
  ":INPUT ACCEPT [0:0]",
  ":OUTPUT ACCEPT [0:0]",
  ":POSTROUTING ACCEPT [0:0]",
  ":KUBE-SERVICES - [0:0]",
  ":KUBE-SVC-TESTTESTTESTTEST - [0:0]",
  ...ENDPOINTS.map(([, , sep]) => `:${sep} - [0:0]`),
  '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
  '-A KUBE-SERVICES -d 10.250.9.9/32 -p tcp -m comment --comment "test/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-TESTTESTTESTTEST',
  `-A KUBE-SVC-TESTTESTTESTTEST -m comment --comment "test/web:http -> 10.250.1.1:8081" -m statistic --mode random --probability 0.33333333349 -j ${ENDPOINTS[0][2]}`,
  `-A KUBE-SVC-TESTTESTTESTTEST -m comment --comment "test/web:http -> 10.250.1.2:8082" -m statistic --mode random --probability 0.50000000000 -j ${ENDPOINTS[1][2]}`,
  `-A KUBE-SVC-TESTTESTTESTTEST -m comment --comment "test/web:http -> 10.250.1.3:8083" -j ${ENDPOINTS[2][2]}`,
  ...ENDPOINTS.map(([ip, port, sep]) => `-A ${sep} -p tcp -m comment --comment "test/web:http" -m tcp -j DNAT --to-destination ${ip}:${port}`),
  "COMMIT",
  "",
].join("\n");

const created: string[] = [];
let listener: ChildProcess | null = null;

function sh(ns: string | null, argv: string[], input?: string, timeout = 15_000) {
  const full = ns ? ["netns", "exec", ns, ...argv] : argv;
  const r = spawnSync(ns ? "ip" : argv[0]!, ns ? full : argv.slice(1), { input, encoding: "utf8", timeout });
  if (r.status !== 0) throw new Error(`${[...(ns ? ["ip", ...full] : argv)].join(" ")}: ${(r.stderr || String(r.error ?? "")).trim()}`);
  return r.stdout;
}

afterAll(() => {
  if (listener && listener.exitCode === null) listener.kill("SIGKILL");
  for (const ns of created) spawnSync("ip", ["netns", "del", ns]);
});

describe.skipIf(why !== null)("trace's probabilities match the kernel's split (kernel as oracle)", () => {
  it(`${CONNECTIONS} connections to a 3-endpoint ClusterIP split as trace says`, async () => {
    for (const ns of [SRV, CLI]) {
      sh(null, ["ip", "netns", "add", ns]);
      created.push(ns);
      sh(null, ["ip", "-n", ns, "link", "set", "lo", "up"]);
    }
    // The veth pair is created inside the server namespace with its peer inside the client's: never on the host.
    sh(null, ["ip", "-n", SRV, "link", "add", "veth-s", "type", "veth", "peer", "name", "veth-c", "netns", CLI]);
    sh(null, ["ip", "-n", SRV, "addr", "add", "10.250.0.1/24", "dev", "veth-s"]);
    sh(null, ["ip", "-n", CLI, "addr", "add", "10.250.0.2/24", "dev", "veth-c"]);
    sh(null, ["ip", "-n", SRV, "link", "set", "veth-s", "up"]);
    sh(null, ["ip", "-n", CLI, "link", "set", "veth-c", "up"]);
    for (const [ip] of ENDPOINTS) sh(null, ["ip", "-n", SRV, "addr", "add", `${ip}/32`, "dev", "lo"]);
    sh(null, ["ip", "-n", CLI, "route", "add", "10.250.9.0/24", "via", "10.250.0.1"]);
    sh(SRV, ["iptables-restore"], RULES);

    // Listeners: accept and close.
    const server = `const net=require("net");let n=0;for(const [h,p] of ${JSON.stringify(ENDPOINTS.map(([ip, port]) => [ip, port]))}){net.createServer(s=>s.destroy()).listen(p,h,()=>{if(++n===3)console.log("ready")})}setTimeout(()=>process.exit(0),55000)`;
    listener = spawn("ip", ["netns", "exec", SRV, process.execPath, "-e", server], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("listeners did not start")), 10_000);
      listener!.stdout!.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      listener!.on("exit", () => reject(new Error("listeners exited")));
    });

    // Clients: one connection after another, each bounded by a timeout.
    const client = `const net=require("net");let ok=0;(async()=>{for(let i=0;i<${CONNECTIONS};i++){await new Promise(r=>{const s=net.connect({host:"10.250.9.9",port:80});const t=setTimeout(()=>{s.destroy();r()},1000);s.on("connect",()=>{ok++;clearTimeout(t);s.destroy();r()});s.on("error",()=>{clearTimeout(t);r()})})}console.log(ok)})()`;
    const ok = Number(sh(CLI, [process.execPath, "-e", client], undefined, 40_000).trim());
    expect(ok).toBeGreaterThanOrEqual(CONNECTIONS * 0.95);

    // The kernel's split: packets counted by each SEP's DNAT rule (the nat table sees the first packet of each connection).
    const saved = sh(SRV, ["iptables-save", "-c", "-t", "nat"]);
    const observed = ENDPOINTS.map(([, , sep]) => {
      const m = new RegExp(`^\\[(\\d+):\\d+\\] -A ${sep} .*-j DNAT`, "m").exec(saved);
      if (!m) throw new Error(`no counter line for ${sep} in:\n${saved}`);
      return Number(m[1]);
    });
    const n = observed.reduce((a, b) => a + b, 0);
    expect(n).toBeGreaterThanOrEqual(ok);

    // trace's probabilities for the same packet.
    const result = trace(rulesetOf(RULES), spec("10.250.9.9:80", { src: "10.250.0.2", nodeIps: ["10.250.0.1", ...ENDPOINTS.map(([ip]) => ip)] }));
    const expected = ENDPOINTS.map(([ip, port]) => result.outcomes.filter((o) => o.dnat === `${ip}:${port}`).reduce((a, o) => a + o.probability.toNumber(), 0));
    expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(result.outcomes.every((o) => o.verdict === "ACCEPT" && o.route === "input")).toBe(true);

    // Chi-square, 2 degrees of freedom: 13.82 is the 0.1% critical value (a correct trace fails 1 run in 1000).
    const chi2 = observed.reduce((a, o, i) => a + (o - n * expected[i]!) ** 2 / (n * expected[i]!), 0);
    console.log(`kernel split ${observed.join("/")} of ${n}; trace ${expected.map((p) => p.toFixed(4)).join("/")}; chi2 = ${chi2.toFixed(2)}`);
    expect(chi2).toBeLessThan(13.82);
  }, 60_000);
});
