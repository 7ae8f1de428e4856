/**
 * kube-proxy's chain-name hashes (pkg/proxy/iptables/proxier.go):
 * `KUBE-SVC/SVL/EXT/FW-` + base32(sha256(portName + protocol))[:16] and
 * `KUBE-SEP-` + base32(sha256(portName + protocol + "ip:port"))[:16].
 * The inputs are plain concatenations; base32 is RFC 4648 standard
 * alphabet, and 16 characters are exactly the first 10 bytes.
 */
import * as crypto from "node:crypto";

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * sha256 of a string, one character per byte ("binary", that is latin1): the one-shot
 * crypto.hash (Node 20.12+) where there is one, twice as fast as createHash
 * for short inputs, and a string rather than a Buffer, which costs three
 * times as much to make; a 10,000-service node hashes some 60,000 names.
 */
const sha256: (text: string) => string =
  typeof (crypto as { hash?: unknown }).hash === "function"
    ? (text) => (crypto as unknown as { hash(a: string, d: string, e: "binary"): string }).hash("sha256", text, "binary")
    : (text) => crypto.createHash("sha256").update(text, "utf8").digest("binary");

/** Recent results: the model and several lint rules ask for the same names. */
const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

/** The first 16 characters of base32.StdEncoding(sha256(text)). */
export function hash16(text: string): string {
  const known = memo.get(text);
  if (known !== undefined) return known;
  const out = base32Prefix(sha256(text));
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, out);
  return out;
}

function base32Prefix(h: string): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    acc = ((acc << 8) | h.charCodeAt(i)) & 0xffff;
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
