/**
 * The shadowing analysis reads addresses through toNetwork, whose dotted-quad
 * fast path must agree with ipaddr.js (the general path) everywhere.
 */
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { toNetwork } from "../../src/lint/analysis/containment.js";

function viaIpaddr(address: string, prefix: number): { bits: number; base: bigint; prefix: number } {
  const [net, len] = ipaddr.parseCIDR(`${address}/${prefix}`);
  const bytes = ipaddr.IPv4.networkAddressFromCIDR(`${net.toString()}/${len}`).toByteArray();
  return { bits: 32, base: bytes.reduce((v, b) => (v << 8n) | BigInt(b), 0n), prefix };
}

describe("toNetwork", () => {
  it("agrees with ipaddr.js on every IPv4 address and prefix", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (address, prefix) => {
        expect(toNetwork(address, prefix)).toEqual(viaIpaddr(address, prefix));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it("leaves what is not a plain dotted quad to the general parser", () => {
    expect(toNetwork("10.0.0.256", 32)).toBeNull();
    expect(toNetwork("1.2.3", 24)).toEqual(toNetwork("1.2.0.3", 24)); // ipaddr.js reads the short form as inet_aton does
    expect(toNetwork("2001:db8::1", 64)).toEqual({ bits: 128, base: 0x20010db8n << 96n, prefix: 64 });
    expect(toNetwork("10.0.0.1", 33)).toBeNull();
  });
});
