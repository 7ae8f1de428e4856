/**
 * Rendering: golden text for nginx and kube-proxy-node (test/kube/golden;
 * rewrite with UPDATE_GOLDEN=1 after checking the diff by hand), the JSON
 * shape the issue specifies, and the CLI.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { explain } from "../../src/kube/explain.js";
import { explanationToJson } from "../../src/kube/render-json.js";
import { renderText } from "../../src/kube/render-text.js";
import { explainFile, fixture, read, root, sample } from "./helpers.js";

const golden = (name: string) => path.join(root, "test/kube/golden", `${name}.txt`);

describe("text output", () => {
  for (const name of ["nginx", "kube-proxy-node"]) {
    it(`matches golden/${name}.txt`, () => {
      const text = renderText(explainFile(sample(`${name}.txt`)));
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden(name), text);
      expect(text).toBe(readFileSync(golden(name), "utf8"));
    });
  }

  it("colours only when asked, and neutralizes hostile text", () => {
    const plain = renderText(explainFile(sample("nginx.txt")));
    expect(plain).not.toContain("\u001b[");
    const coloured = renderText(explainFile(sample("nginx.txt")), { colour: new Chalk({ level: 1 }) });
    expect(coloured).toContain("\u001b[");
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(plain);
    const hostile = read(fixture("large-cluster.txt")).replace(":KUBE-MARK-MASQ - [0:0]", ":KUBE-MARK-MASQ - [0:0]\n:EVIL\u001b[2J - [0:0]").replace("10.8.0.3:9000", "10.8.0.3:9000\n-A EVIL\u001b[2J -p tcp -m tcp --dport 1 -j DNAT --to-destination 10.9.9.9:1");
    const out = renderText(explain(hostile));
    expect(out).not.toContain("\u001b");
    expect(out).toContain("(nat EVIL\\e[2J, line 33; other)");
  });

  it("stays sorted and aligned for many services", () => {
    const x = explainFile(sample("kube-proxy-node.txt"));
    const names = x.kube.services.map((s) => s.name!);
    expect(names).toEqual([...names].sort());
  });
});

describe("JSON output", () => {
  it("has the shape of the issue's example for nginx", () => {
    const json = explanationToJson(explainFile(sample("nginx.txt"))) as { schemaVersion: number; services: unknown[]; chains: unknown };
    expect(json.schemaVersion).toBe(1);
    expect(json.chains).toBeTypeOf("object");
    expect(json.services[0]).toMatchObject({
      name: "default/nginx:web",
      protocol: "tcp",
      chains: { cluster: "KUBE-SVC-YK2SNH4V42VSDWIJ" },
      affinity: null,
      frontends: [
        {
          type: "ClusterIP",
          ip: "10.0.33.45",
          port: 80,
          sourceRanges: [],
          whenNoEndpoints: null,
          endpoints: [
            { address: "10.240.0.28:80", probability: 0.5, probabilityExact: "1/2", chain: "KUBE-SEP-B4KBD76YHXMJL4VO" },
            { address: "10.240.0.57:80", probability: 0.5, probabilityExact: "1/2", chain: "KUBE-SEP-V73B5NNFXA6V3U7A" },
          ],
          endpointsFromNode: [{ address: "10.240.0.28:80" }, { address: "10.240.0.57:80" }],
        },
      ],
    });
  });

  it("gives intended and kernel shares, and null ip for NodePorts", () => {
    const json = explanationToJson(explainFile(sample("kube-proxy-node.txt"))) as {
      services: { name: string; frontends: { type: string; ip: string | null; endpoints: { probabilityExact: string; probabilityKernel: string; probability: number }[] }[] }[];
    };
    const fe = json.services.find((s) => s.name === "shop/frontend:http")!;
    const np = fe.frontends.find((f) => f.type === "NodePort")!;
    expect(np.ip).toBe(null);
    expect(np.endpoints.map((e) => [e.probabilityExact, e.probabilityKernel])).toEqual([
      ["1/3", "715827883/2147483648"],
      ["1/3", "1431655765/4294967296"],
      ["1/3", "1431655765/4294967296"],
    ]);
    expect(np.endpoints[0]!.probability).toBeCloseTo(715827883 / 2147483648, 15);
    const types = new Set(json.services.flatMap((s) => s.frontends.map((f) => f.type)));
    expect([...types].sort()).toEqual(["ClusterIP", "ExternalIP", "HealthCheckNodePort", "LoadBalancer", "NodePort"]);
  });
});

const cli = path.join(root, "bin/kipt.js");
const bundle = path.join(root, "dist/kipt-cli.js");

describe.skipIf(!existsSync(bundle) || !readFileSync(bundle, "utf8").includes("registerExplainCommand") && !readFileSync(bundle, "utf8").includes('"explain"'))("kipt explain (built CLI)", () => {
  it("prints the text report, plain when piped", () => {
    const out = execFileSync(process.execPath, [cli, "explain", sample("nginx.txt")], { encoding: "utf8" });
    expect(out).toBe(readFileSync(golden("nginx"), "utf8"));
  });

  it("prints JSON with -o json, from standard input too", () => {
    const out = execFileSync(process.execPath, [cli, "explain", "-", "-o", "json"], { encoding: "utf8", input: read(sample("ip6-host.txt")) });
    const json = JSON.parse(out) as { schemaVersion: number; family: string; services: { name: string }[] };
    expect(json.schemaVersion).toBe(1);
    expect(json.family).toBe("ipv6");
    expect(json.services.map((s) => s.name)).toEqual(["default/echo6:http"]);
  });

  it("exits 3 for a missing file and 2 for a bad format", () => {
    expect(spawnSync(process.execPath, [cli, "explain", "/nonexistent/dump"]).status).toBe(3);
    expect(spawnSync(process.execPath, [cli, "explain", sample("nginx.txt"), "-o", "yaml"]).status).toBe(2);
  });
});

describe("a leaky cascade in the text output", () => {
  // samples/nginx.txt with a statistic match on the last endpoint rule: a quarter of new connections reach no endpoint.
  const leaky = read(sample("nginx.txt")).replace(
    '-m comment --comment "default/nginx:web -> 10.240.0.57:80" -j KUBE-SEP-V73B5NNFXA6V3U7A',
    '-m comment --comment "default/nginx:web -> 10.240.0.57:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-V73B5NNFXA6V3U7A',
  );

  it("says how much traffic falls through, and the finding names the last rule's line", () => {
    expect(leaky).not.toBe(read(sample("nginx.txt")));
    const text = renderText(explain(leaky, { file: "leaky.txt" }));
    expect(text).toContain("  ClusterIP 10.0.33.45:80: 25.0% reach no endpoint (fall through the end of the service's chains)\n");
    expect(text).toContain("the last rule (line 73) has a statistic match, so some traffic falls through (line 72) [uneven-split]");
  });
});
