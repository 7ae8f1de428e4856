/**
 * Valid and invalid tables for the Kubernetes rules (KIPT3001-KIPT3006).
 * The dumps come from test/lint/kube-dumps.ts, with kube-proxy's real chain
 * hashes; each invalid case changes one thing.
 */
import { describe, expect, it } from "vitest";
import { duplicateEndpoint } from "../../src/lint/rules/duplicate-endpoint.js";
import { noEndpoints } from "../../src/lint/rules/no-endpoints.js";
import { probabilityCascade } from "../../src/lint/rules/probability-cascade.js";
import { sepDnatMismatch } from "../../src/lint/rules/sep-dnat-mismatch.js";
import { serviceHashMismatch } from "../../src/lint/rules/service-hash-mismatch.js";
import { staleKubeChain } from "../../src/lint/rules/stale-kube-chain.js";
import { lint } from "../../src/lint/run.js";
import { editLine, kubeDump, lineWith, savedProbability, sepChain, svcChain, type ServiceSpec } from "./kube-dumps.js";
import { filterTable, ruleTester } from "./rule-tester.js";

const nginx: ServiceSpec = { name: "default/nginx:web", clusterIP: "10.0.33.45", port: 80, endpoints: ["10.240.0.28:80", "10.240.0.57:80"] };
const frontend: ServiceSpec = { name: "shop/frontend:http", clusterIP: "10.0.120.7", port: 80, endpoints: ["10.240.1.11:8080", "10.240.2.14:8080", "10.240.3.9:8080"] };
const dns: ServiceSpec = { name: "kube-system/kube-dns:dns", protocol: "udp", clusterIP: "10.0.0.10", port: 53, endpoints: ["10.240.0.5:53", "10.240.1.7:53"] };
const echo6: ServiceSpec = { name: "default/echo6:http", clusterIP: "fd00:10:96::5f3a", port: 80, endpoints: ["[fd00:10:244::5]:8080", "[fd00:10:244:1::7]:8080"] };
const grafana: ServiceSpec = { name: "monitoring/grafana", clusterIP: "10.0.45.100", port: 3000, endpoints: ["10.240.2.31:3000"] };

const nginxDump = kubeDump([nginx]);
const sep57 = sepChain(nginx.name, "10.240.0.57:80");

it("the test dumps use kube-proxy's real names (as in samples/nginx.txt)", () => {
  expect(svcChain(nginx.name)).toBe("KUBE-SVC-YK2SNH4V42VSDWIJ");
  expect(sep57).toBe("KUBE-SEP-V73B5NNFXA6V3U7A");
  expect(savedProbability(3)).toBe("0.33333333349");
  const all = lint([{ file: "t", text: kubeDump([nginx, frontend, dns, grafana]) }]).findings;
  expect(all.map((f) => `${f.id} ${f.line}: ${f.message}`)).toEqual([]);
});

// -- KIPT3001 ------------------------------------------------------------------

const dnatTo = (dump: string, sep: string, to: string) => editLine(dump, `-A ${sep} -p`, (l) => l.replace(/--to-destination \S+/, `--to-destination ${to}`));
const hairpinFrom = (dump: string, sep: string, from: string) => editLine(dump, `-A ${sep} -s`, (l) => l.replace(/-s \S+/, `-s ${from}`));

ruleTester(sepDnatMismatch, {
  valid: [
    { name: "kube-proxy's chains (IPv4)", dump: kubeDump([nginx, frontend]) },
    { name: "udp service", dump: kubeDump([dns]) },
    { name: "IPv6 service, [ip]:port endpoints", dump: kubeDump([echo6]) },
    { name: "large-cluster mode (no comments on endpoint rules)", dump: kubeDump([{ ...nginx, large: true }]) },
    { name: "a dump without kube-proxy chains", dump: filterTable("-A INPUT -j ACCEPT") },
  ],
  invalid: [
    {
      name: "DNAT edited, hairpin left alone: both reported",
      dump: dnatTo(nginxDump, sep57, "10.240.0.75:80"),
      findings: [
        { line: lineWith(nginxDump, `-A ${sep57} -s`), message: "hairpin rule masquerades traffic from 10.240.0.57, but the chain DNATs to 10.240.0.75" },
        { line: lineWith(nginxDump, `-A ${sep57} -p`), message: `${sep57} is the chain of 10.240.0.57:80` },
      ],
    },
    {
      name: "DNAT and hairpin both changed to another address",
      dump: hairpinFrom(dnatTo(nginxDump, sep57, "10.240.0.75:80"), sep57, "10.240.0.75/32"),
      findings: [{ line: lineWith(nginxDump, `-A ${sep57} -p`), message: `is ${sepChain(nginx.name, "10.240.0.75:80")}` }],
    },
    {
      name: "DNAT to another port",
      dump: dnatTo(nginxDump, sep57, "10.240.0.57:8080"),
      findings: [{ line: lineWith(nginxDump, `-A ${sep57} -p`), message: "DNATs to 10.240.0.57:8080" }],
    },
    {
      name: "hairpin rule names another pod",
      dump: hairpinFrom(nginxDump, sep57, "10.240.0.28/32"),
      findings: [{ line: lineWith(nginxDump, `-A ${sep57} -s`), message: "from 10.240.0.28" }],
    },
    {
      name: "IPv6: DNAT edited",
      dump: hairpinFrom(dnatTo(kubeDump([echo6]), sepChain(echo6.name, "[fd00:10:244::5]:8080"), "[fd00:10:244::9]:8080"), sepChain(echo6.name, "[fd00:10:244::5]:8080"), "fd00:10:244::9/128"),
      findings: [{ line: lineWith(kubeDump([echo6]), `-A ${sepChain(echo6.name, "[fd00:10:244::5]:8080")} -p`), message: "[fd00:10:244::9]:8080" }],
    },
    {
      name: "large-cluster mode: the service comes from the dispatching chain",
      dump: dnatTo(kubeDump([{ ...nginx, large: true }]), sep57, "10.240.0.75:80"),
      findings: [{ line: lineWith(kubeDump([{ ...nginx, large: true }]), `-A ${sep57} -s`) }, { line: lineWith(kubeDump([{ ...nginx, large: true }]), `-A ${sep57} -p`) }],
    },
  ],
});

// -- KIPT3002 ------------------------------------------------------------------

const grafanaDump = kubeDump([grafana]);
const grafanaSvc = svcChain(grafana.name);

ruleTester(serviceHashMismatch, {
  valid: [
    { name: "kube-proxy's chains", dump: kubeDump([nginx, frontend, grafana]) },
    { name: "udp service", dump: kubeDump([dns]) },
    { name: "IPv6 service", dump: kubeDump([echo6]) },
    { name: "large-cluster mode", dump: kubeDump([{ ...frontend, large: true }]) },
  ],
  invalid: [
    {
      name: "comments name a port the chain is not the hash of",
      dump: grafanaDump.split('"monitoring/grafana').join('"monitoring/grafana:http'),
      findings: [{ line: lineWith(grafanaDump, `-A ${grafanaSvc} ! -s`), message: `comment names monitoring/grafana:http (tcp), but ${grafanaSvc} is not that port's: kube-proxy would call it ${svcChain("monitoring/grafana:http")}` }],
    },
    {
      name: "only the capture rule's comment is wrong",
      dump: editLine(grafanaDump, "-A KUBE-SERVICES -d", (l) => l.replace("monitoring/grafana cluster IP", "monitoring/prometheus cluster IP")),
      findings: [{ line: lineWith(grafanaDump, "-A KUBE-SERVICES -d"), message: `this rule jumps to ${grafanaSvc}, whose comment names monitoring/prometheus (tcp)` }],
    },
    {
      name: "the chain is the hash of the port over another protocol",
      dump: kubeDump([dns]).split(svcChain(dns.name, "udp")).join(svcChain(dns.name, "tcp")),
      findings: [{ line: lineWith(kubeDump([dns]), `-A ${svcChain(dns.name, "udp")} ! -s`), message: "kube-system/kube-dns:dns (udp)" }],
    },
  ],
});

// -- KIPT3003 ------------------------------------------------------------------

const staleSep = sepChain(nginx.name, "10.240.0.44:80");
const withStaleSep = (large: boolean) =>
  kubeDump([{ ...nginx, large }], {
    decls: [`:${staleSep} - [0:0]`],
    rules: [`-A ${staleSep} -s 10.240.0.44/32 -j KUBE-MARK-MASQ`, `-A ${staleSep} -p tcp -m tcp -j DNAT --to-destination 10.240.0.44:80`],
  });

ruleTester(staleKubeChain, {
  valid: [
    // IPv4 and IPv6 services in separate dumps, as kube-proxy writes them (iptables refuses the other family's addresses).
    { name: "kube-proxy's chains", dump: kubeDump([nginx, frontend, dns]) },
    { name: "kube-proxy's chains (IPv6)", dump: kubeDump([echo6]) },
    { name: "no kube-proxy chains", dump: filterTable(":X - [0:0]", "-A X -j ACCEPT", "-A INPUT -j X") },
  ],
  invalid: [
    { name: "an endpoint chain nothing jumps to", dump: withStaleSep(false), findings: [{ line: lineWith(withStaleSep(false), `:${staleSep}`), message: "left over from a deleted endpoint" }] },
    { name: "large-cluster mode: info", dump: withStaleSep(true), findings: [{ line: lineWith(withStaleSep(true), `:${staleSep}`), severity: "info", message: "large-cluster mode" }] },
    {
      name: "a whole service left over: only its service chain (its endpoint chains are still jumped to from it)",
      dump: kubeDump([nginx]).replace(/^-A KUBE-SERVICES -d .*\n/m, ""),
      findings: [{ line: lineWith(nginxDump, `:${svcChain(nginx.name)}`), message: "service chain" }],
    },
    {
      name: "an empty declared chain: info (harmless)",
      dump: kubeDump([nginx], { decls: [`:${svcChain("default/gone")} - [0:0]`] }),
      findings: [{ line: lineWith(kubeDump([nginx], { decls: [`:${svcChain("default/gone")} - [0:0]`] }), `:${svcChain("default/gone")}`), severity: "info", message: "is empty and no rule jumps to it" }],
    },
  ],
});

// -- KIPT3004 ------------------------------------------------------------------

const cascadeDump = (probabilities: (number | null | string)[], endpoints = frontend.endpoints) => kubeDump([{ ...frontend, endpoints: endpoints.slice(0, probabilities.length), probabilities }]);
const firstStep = (dump: string) => lineWith(dump, `-A ${svcChain(frontend.name)} -m`);

ruleTester(probabilityCascade, {
  valid: [
    { name: "one endpoint", dump: kubeDump([grafana]) },
    { name: "two endpoints", dump: kubeDump([nginx]) },
    { name: "three endpoints (iptables-save's 0.33333333349)", dump: kubeDump([frontend]) },
    { name: "kube-proxy's 10 decimals as written (0.3333333333)", dump: cascadeDump(["0.3333333333", "0.5000000000", null]) },
    { name: "5 decimals (kube-proxy before 1.17)", dump: cascadeDump(["0.33333", "0.50000", null]) },
    { name: "five endpoints", dump: kubeDump([{ ...frontend, endpoints: ["10.240.1.1:8080", "10.240.1.2:8080", "10.240.1.3:8080", "10.240.1.4:8080", "10.240.1.5:8080"] }]) },
    {
      name: "session affinity checks are not part of the cascade",
      dump: nginxDump.replace(
        `-A ${svcChain(nginx.name)} -m comment --comment "default/nginx:web -> 10.240.0.28:80" -m statistic`,
        `-A ${svcChain(nginx.name)} -m comment --comment "default/nginx:web -> 10.240.0.28:80" -m recent --rcheck --seconds 10800 --reap --name ${sepChain(nginx.name, "10.240.0.28:80")} --mask 255.255.255.255 --rsource -j ${sepChain(nginx.name, "10.240.0.28:80")}\n-A ${svcChain(nginx.name)} -m comment --comment "default/nginx:web -> 10.240.0.28:80" -m statistic`,
      ),
    },
  ],
  invalid: [
    {
      name: "1/2 where kube-proxy writes 1/3: uneven",
      dump: cascadeDump(["0.50000000000", "0.50000000000", null]),
      findings: [{ line: firstStep(cascadeDump(["0.50000000000", "0.50000000000", null])), message: "10.240.1.11:8080 50.0%, 10.240.2.14:8080 25.0%, 10.240.3.9:8080 25.0%, not kube-proxy's equal split of 33.3% each" }],
    },
    {
      name: "the last rule keeps a statistic match: traffic falls through",
      dump: cascadeDump(["0.50000000000", "0.50000000000"]),
      findings: [{ line: firstStep(cascadeDump(["0.50000000000", "0.50000000000"])), message: "25.0% of new connections fall through the end of the chain" }],
    },
    {
      name: "a single endpoint with a probability",
      dump: cascadeDump(["0.50000000000"]),
      findings: [{ line: firstStep(cascadeDump(["0.50000000000"])), message: "50.0% of new connections fall through" }],
    },
    {
      name: "an unconditional rule before the last: later endpoints get nothing",
      dump: cascadeDump([null, "0.50000000000", null]),
      findings: [{ line: firstStep(cascadeDump([null, "0.50000000000", null])), message: "10.240.1.11:8080 100.0%, 10.240.2.14:8080 0%, 10.240.3.9:8080 0%" }],
    },
    {
      name: "shares that differ from 1/3 only in the third decimal are shown with three",
      dump: cascadeDump(["0.33332", "0.50000", null]),
      findings: [{ line: firstStep(cascadeDump(["0.33332", "0.50000", null])), message: "10.240.1.11:8080 33.332%, 10.240.2.14:8080 33.334%, 10.240.3.9:8080 33.334%, not kube-proxy's equal split of 33.333% each" }],
    },
  ],
});

// -- KIPT3005 ------------------------------------------------------------------

const frontendDump = kubeDump([frontend]);
const frontendSvc = svcChain(frontend.name);
const sep11 = sepChain(frontend.name, "10.240.1.11:8080");

ruleTester(duplicateEndpoint, {
  valid: [
    { name: "kube-proxy's chains", dump: kubeDump([nginx, frontend, dns]) },
    {
      name: "a session-affinity check and the cascade rule for one endpoint",
      dump: editLine(frontendDump, `-A ${frontendSvc} -m comment --comment "shop/frontend:http -> 10.240.1.11:8080"`, (l) => `-A ${frontendSvc} -m comment --comment "shop/frontend:http -> 10.240.1.11:8080" -m recent --rcheck --seconds 10800 --reap --name ${sep11} --mask 255.255.255.255 --rsource -j ${sep11}\n${l}`),
    },
  ],
  invalid: [
    {
      name: "the same SEP chain twice",
      dump: editLine(frontendDump, `-A ${frontendSvc} -m comment --comment "shop/frontend:http -> 10.240.3.9:8080"`, (l) => l.replace(/KUBE-SEP-\w+$/, sep11)),
      findings: [{ line: lineWith(frontendDump, `-A ${frontendSvc} -m comment --comment "shop/frontend:http -> 10.240.3.9:8080"`), message: `jumps to ${sep11} again (line ${lineWith(frontendDump, `-j ${sep11}`, 1)})` }],
    },
    {
      name: "two SEP chains to one address",
      dump: editLine(frontendDump, `-A ${sepChain(frontend.name, "10.240.3.9:8080")} -p`, (l) => l.replace("10.240.3.9:8080", "10.240.1.11:8080")),
      findings: [{ line: lineWith(frontendDump, `-A ${frontendSvc} -m comment --comment "shop/frontend:http -> 10.240.3.9:8080"`), message: `which DNATs to 10.240.1.11:8080 like ${sep11}` }],
    },
  ],
});

// -- KIPT3006 ------------------------------------------------------------------

const legacy = "staging/legacy-api:http";
const reject = (chain: string, what: string, target = "REJECT --reject-with icmp-port-unreachable") => `-A ${chain} ${what} -p tcp -m comment --comment "${legacy} has no endpoints" -m tcp --dport ${what.includes("LOCAL") ? 30999 : 8080} -j ${target}`;
const noEpDump = (filter: string[]) => kubeDump([nginx], { filter });
const clusterReject = reject("KUBE-SERVICES", "-d 10.0.200.15/32");
const nodePortReject = reject("KUBE-EXTERNAL-SERVICES", "-m addrtype --dst-type LOCAL");

ruleTester(noEndpoints, {
  valid: [
    { name: "services with endpoints", dump: kubeDump([nginx, frontend]) },
    {
      name: "no local endpoints for external traffic, endpoints for the cluster IP",
      dump: kubeDump([nginx], { filter: [`-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/nginx:web has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j DROP`] }),
    },
  ],
  invalid: [
    { name: "cluster IP rejected", dump: noEpDump([clusterReject]), findings: [{ line: lineWith(noEpDump([clusterReject]), "has no endpoints"), message: `${legacy} (tcp) has no endpoints: kube-proxy answers ClusterIP 10.0.200.15:8080 with REJECT` }] },
    {
      name: "cluster IP and node port: one finding, at the first rule",
      dump: noEpDump([nodePortReject, clusterReject]),
      findings: [{ line: lineWith(noEpDump([nodePortReject, clusterReject]), "has no endpoints"), message: "ClusterIP 10.0.200.15:8080, NodePort *:30999 with REJECT" }],
    },
    { name: "dropped", dump: noEpDump([reject("KUBE-SERVICES", "-d 10.0.200.15/32", "DROP")]), findings: [{ line: lineWith(noEpDump([clusterReject]), "has no endpoints"), message: "with DROP" }] },
  ],
});

describe("Kubernetes rules on realistic dumps", () => {
  it("the repository's kube-proxy samples give no warning or error, and the one service with no endpoints", async () => {
    const { readFileSync } = await import("node:fs");
    const kinds = ["nginx.txt", "kube-proxy-node.txt", "ip6-host.txt"].flatMap((s) =>
      lint([{ file: s, text: readFileSync(new URL(`../../samples/${s}`, import.meta.url), "utf8") }], { rules: [sepDnatMismatch, serviceHashMismatch, staleKubeChain, probabilityCascade, duplicateEndpoint, noEndpoints] }).findings.map((f) => `${f.file} ${f.id} ${f.severity} ${f.line}`),
    );
    expect(kinds).toEqual(["kube-proxy-node.txt KIPT3006 info 42"]);
  });
});
