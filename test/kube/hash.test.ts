import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { endpointHash, hash16, portProtoHash } from "../../src/kube/hash.js";
import { root } from "./helpers.js";
import path from "node:path";

describe("kube-proxy chain hashes", () => {
  it("matches the values in the issue and the layout reference", () => {
    expect(portProtoHash("default/nginx:web", "tcp")).toBe("YK2SNH4V42VSDWIJ");
    expect(endpointHash("default/nginx:web", "tcp", "10.240.0.28:80")).toBe("B4KBD76YHXMJL4VO");
    expect(hash16("default/nginx:webtcp10.240.0.28:80")).toBe("B4KBD76YHXMJL4VO");
    expect(portProtoHash("ns1/svc1:p80", "tcp")).toBe("XPGD46QRK7WJZT7O");
    expect(endpointHash("ns1/svc1:p80", "tcp", "10.180.0.1:80")).toBe("SXIVWICOYRO3J4NJ");
  });

  it("is 16 characters of the standard base32 alphabet", () => {
    for (const s of ["", "a", "kube-system/kube-dns:dns-tcp", "x".repeat(1000)]) expect(hash16(s)).toMatch(/^[A-Z2-7]{16}$/);
  });

  for (const name of ["nginx", "kube-proxy-node", "ip6-host"]) {
    it(`recomputes every chain name of samples/${name}.txt from the expectations`, () => {
      const expected = JSON.parse(readFileSync(path.join(root, "samples/src/expected", `${name}.json`), "utf8")) as {
        servicePorts: { servicePortName: string; protocol: string; chains: Record<string, string>; endpoints: { endpoint: string; sepChain?: string }[] }[];
      };
      let checked = 0;
      for (const sp of expected.servicePorts) {
        const h = portProtoHash(sp.servicePortName, sp.protocol);
        for (const chain of Object.values(sp.chains)) {
          expect(chain.endsWith(`-${h}`)).toBe(true);
          checked++;
        }
        for (const ep of sp.endpoints) {
          if (!ep.sepChain) continue;
          expect(ep.sepChain).toBe(`KUBE-SEP-${endpointHash(sp.servicePortName, sp.protocol, ep.endpoint)}`);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
