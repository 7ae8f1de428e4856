/**
 * kube-proxy's chain-name hashes (pkg/proxy/iptables/proxier.go):
 * `KUBE-SVC/SVL/EXT/FW-` + base32(sha256(portName + protocol))[:16] and
 * `KUBE-SEP-` + base32(sha256(portName + protocol + "ip:port"))[:16].
 * The inputs are plain concatenations; base32 is RFC 4648 standard
 * alphabet, and 16 characters are exactly the first 10 bytes.
 */
import { createHash } from "node:crypto";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The first 16 characters of base32.StdEncoding(sha256(text)). */
export function hash16(text: string): string {
  const h = createHash("sha256").update(text, "utf8").digest();
  let out = "";
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    acc = ((acc << 8) | h[i]!) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Suffix shared by a service port's KUBE-SVC/SVL/EXT/FW (and old KUBE-XLB) chains. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol.toLowerCase());
}

/** Suffix of a KUBE-SEP chain; `endpoint` is `ip:port` or `[ipv6]:port`. */
export function endpointHash(servicePortName: string, protocol: string, endpoint: string): string {
  return hash16(servicePortName + protocol.toLowerCase() + endpoint);
}
