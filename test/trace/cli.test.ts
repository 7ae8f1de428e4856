/** `kipt trace` on the command line: output forms and exit codes. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root } from "./helpers.js";
import { runMain } from "../cli/run-main.js";

const dir = mkdtempSync(path.join(tmpdir(), "kipt-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kipt = runMain;

const nginx = path.join(root, "samples/nginx.txt");

describe("kipt trace", () => {
  it("prints the packet, the service line and each outcome", async () => {
    const r = await kipt("trace", nginx, "10.0.33.45:80");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("10.0.33.45:80/tcp -> default/nginx:web -> 10.240.0.28:80 (50%), 10.240.0.57:80 (50%)");
    expect(r.stdout).toMatch(/outcome 1: 50% \(1\/2\), ACCEPT, forwarded, to 10\.240\.0\.28:80 \(DNAT\), masqueraded/);
    expect(r.stdout).toContain("nat KUBE-SERVICES line 69: -A KUBE-SERVICES -d 10.0.33.45/32");
  });
  it("-o json has schemaVersion 1 and the documented fields", async () => {
    const r = await kipt("trace", nginx, "10.0.33.45:80", "-o", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.packet).toMatchObject({ destination: "10.0.33.45", destinationPort: 80, protocol: "tcp", from: "external", ctstate: "NEW" });
    expect(j.outcomes[0]).toMatchObject({ probability: 0.5, probabilityExact: "1/2", verdict: "ACCEPT", dnat: "10.240.0.28:80", masquerade: true, snat: null, uncertain: [] });
    expect(j.outcomes[0].path[0]).toEqual({ table: "nat", chain: "PREROUTING", line: 58, depth: 0, rule: '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES' });
  });
  it("takes every flag", async () => {
    const r = await kipt("trace", nginx, "10.0.33.45:80", "--proto", "tcp", "--src", "10.240.0.28", "--sport", "5555", "--from", "local", "--out-iface", "eth0", "--node-ip", "192.168.56.10", "--node-ip", "10.0.0.1", "--mark", "0x10", "--ctstate", "new", "--recent-hit", "X", "-o", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.packet).toMatchObject({ source: "10.240.0.28", sourcePort: 5555, from: "local", mark: 16, nodeIps: ["192.168.56.10", "10.0.0.1"] });
  });
  it("notes a --recent-hit list no rule uses (a misspelt name changes nothing), and suggests the near one", async () => {
    const kube = path.join(root, "samples/kube-proxy-node.txt");
    const typo = await kipt("trace", kube, "10.0.0.1:80", "--recent-hit", "KUBE-SEP-J5S5VWY6PP7PQPLX", "--recent-hit", "*");
    expect(typo.code).toBe(0);
    expect(typo.stderr.trim().split("\n")).toEqual([
      "kipt: note: --recent-hit 'KUBE-SEP-J5S5VWY6PP7PQPLX': no -m recent rule in the dump uses a list of that name, so it changes nothing (did you mean 'KUBE-SEP-J5S5VWY6PP7PQPLZ'?)",
    ]);
    const far = await kipt("trace", kube, "10.0.0.1:80", "--recent-hit", "sessions");
    expect(far.stderr.trim()).toBe("kipt: note: --recent-hit 'sessions': no -m recent rule in the dump uses a list of that name, so it changes nothing");
    for (const used of ["KUBE-SEP-J5S5VWY6PP7PQPLZ", "*"]) expect((await kipt("trace", kube, "10.0.0.1:80", "--recent-hit", used)).stderr).toBe("");
    // No recent rule at all: every named list is noted, with nothing to suggest.
    expect((await kipt("trace", nginx, "10.0.33.45:80", "--recent-hit", "X")).stderr).toContain("--recent-hit 'X': no -m recent rule");
  });
  it("-o json lists the source picked for --from local among the node's addresses, as trace counted it", async () => {
    const r = await kipt("trace", nginx, "10.0.33.45:80", "--from", "local", "-o", "json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.packet.from).toBe("local");
    expect(j.packet.nodeIps).toEqual([j.packet.source]);
    const given = JSON.parse((await kipt("trace", nginx, "10.0.33.45:80", "--from", "local", "--node-ip", "192.168.56.10", "-o", "json")).stdout);
    expect(given.packet).toMatchObject({ source: "192.168.56.10", nodeIps: ["192.168.56.10"] });
  });
  it("bad usage exits 2 with a one-line message", async () => {
    for (const args of [
      [nginx, "10.0.33.45:99999"],
      [nginx, "not-an-ip"],
      [nginx, "[10.0.0.1]:80"],
      [nginx, "10.0.0.1:80", "--proto", "gre"],
      [nginx, "10.0.0.1:80", "--proto", "icmp"],
      [nginx, "10.0.0.1:80", "--src", "x"],
      [nginx, "10.0.0.1:80", "--src", "::1"],
      [nginx, "10.0.0.1:80", "--mark", "-1"],
      [nginx, "10.0.0.1:80", "--ctstate", "FOO"],
      [nginx, "10.0.0.1:80", "--from", "mars"],
      [nginx, "10.0.0.1:80", "--node-ip", "nope"],
    ]) {
      const r = await kipt("trace", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
    }
    const one = await kipt("trace", nginx, "10.0.33.45:99999");
    expect(one.stderr.trim().split("\n")).toHaveLength(1);
  });
  it("a missing file exits 3; an input with errors exits 1", async () => {
    expect((await kipt("trace", path.join(root, "nope.txt"), "10.0.0.1:80")).code).toBe(3);
    expect((await kipt("trace", path.join(root, "samples"), "10.0.0.1:80")).code).toBe(3);
    const bad = path.join(dir, "bad.txt");
    writeFileSync(bad, "*filter\n-A INPUT -j\nCOMMIT\n");
    const r = await kipt("trace", bad, "10.0.0.1:80");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.txt:2:\d+: error: /);
  });
  it("an input with errors is traced as far as it parsed, with the diagnostics, exit 1", async () => {
    const uncommitted = path.join(dir, "uncommitted.txt");
    writeFileSync(uncommitted, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -j DROP\n-A INPUT -p tcp -m tcp --dport 99999 -j ACCEPT\n");
    const r = await kipt("trace", uncommitted, "10.0.0.1:22", "--node-ip", "10.0.0.1");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/uncommitted\.txt:4:\d+: error: /);
    expect(r.stderr).toMatch(/COMMIT/);
    expect(r.stdout).toContain("outcome 1: 100% (1/1), DROP, to 10.0.0.1:22");
    expect(r.stdout).toContain("filter INPUT line 3: -A INPUT -p tcp -m tcp --dport 22 -j DROP");
    const json = await kipt("trace", uncommitted, "10.0.0.1:22", "--node-ip", "10.0.0.1", "-o", "json");
    expect([json.code, JSON.parse(json.stdout).outcomes[0].verdict]).toEqual([1, "DROP"]);
  });
  it("reports what the kernel refuses (KIPT2001, an undefined target) as explain does, parse errors or not, and still traces", async () => {
    const undefinedTarget = path.join(dir, "undefined-target.txt");
    writeFileSync(undefinedTarget, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOWHERE\n-A INPUT -p tcp -m tcp --dport 99999 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n");
    const r = await kipt("trace", undefinedTarget, "10.0.0.1:80", "--node-ip", "10.0.0.1");
    const explained = await kipt("explain", undefinedTarget);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[KIPT2001]");
    expect(r.stderr).toBe(explained.stderr);
    expect(r.stdout).toContain("DROP");
  });
  it("a DEST or --node-ip of the other family than the dump's is bad usage (exit 2)", async () => {
    const cases: [string[], RegExp][] = [
      [[path.join(root, "samples/ip6-host.txt"), "10.0.0.1:80"], /DEST 10\.0\.0\.1 is IPv4 but the dump is IPv6/],
      [[nginx, "[fd00::1]:80"], /DEST fd00::1 is IPv6 but the dump is IPv4/],
      [[nginx, "10.0.33.45:80", "--node-ip", "fd00::1"], /--node-ip fd00::1 is IPv6 but the dump is IPv4/],
    ];
    for (const [args, message] of cases) {
      const r = await kipt("trace", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    // A dump that does not say its family takes either.
    const bare = path.join(dir, "bare.txt");
    writeFileSync(bare, "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n");
    expect((await kipt("trace", bare, "[fd00::1]:80")).code).toBe(0);
    expect((await kipt("trace", bare, "10.0.0.1:80")).code).toBe(0);
  });
  it("notes that an unbracketed IPv6 DEST ending in :digits has no port", async () => {
    const six = path.join(root, "samples/ip6-host.txt");
    const r = await kipt("trace", six, "fd00::1:80");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("kipt: note: 'fd00::1:80' is read as the IPv6 address fd00::1:80, with no port; for port 80 of fd00::1 write '[fd00::1]:80'\n");
    for (const dest of ["[fd00::1]:80", "::1", "fe80::1", "fd00:10:96::10", "2001:db8::5f3a"]) expect((await kipt("trace", six, dest)).stderr, dest).toBe("");
    // Printed in brackets, so that the answer does not read as port 80 either.
    expect(r.stdout).toContain("packet: [fd00::1:80]/tcp from [2001:db8:ffff::1]:43210");
    expect(r.stdout).toContain(", to [fd00::1:80]");
    expect(r.stdout).not.toMatch(/[^[]fd00::1:80[^\]]/);
  });
  it("neutralizes control characters from the dump", async () => {
    const evil = path.join(dir, "evil.txt");
    writeFileSync(evil, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment "\u001b[31mred" -j DROP\nCOMMIT\n');
    const r = await kipt("trace", evil, "10.0.0.1:80", "--node-ip", "10.0.0.1");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("\\e[31mred");
  });
});
