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

/** The first 16 characters of base32.StdEncoding(sha256(text)). */
export function hash16(text: string): string {
  return base32Prefix(sha256(text));
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

/** A service port's hash and its endpoints' (see `known`). */
interface PortHashes {
  port: string | undefined;
  readonly endpoints: Map<string, string>;
}

/**
 * Results so far, by service port name, protocol and endpoint: the model and
 * several lint rules ask for the same hashes, and looking up the strings
 * they already hold (whose hashes V8 keeps) costs a fraction of a lookup by
 * the concatenated text, which is a new string each time (that cost a tenth
 * of the kube model). Bounded for hostile input.
 */
const known = new Map<string, Map<string, PortHashes>>();
let knownCount = 0;
const KNOWN_LIMIT = 200_000;

/** Count a hash just kept; past the limit, start again with none. */
function remembered(): void {
  if (++knownCount < KNOWN_LIMIT) return;
  known.clear();
  knownCount = 0;
}

function hashesOf(servicePortName: string, protocol: string): PortHashes {
  let byProtocol = known.get(servicePortName);
  if (byProtocol === undefined) known.set(servicePortName, (byProtocol = new Map()));
  let hashes = byProtocol.get(protocol);
  if (hashes === undefined) byProtocol.set(protocol, (hashes = { port: undefined, endpoints: new Map() }));
  return hashes;
}

/** Suffix shared by a service port's KUBE-SVC/SVL/EXT/FW (and old KUBE-XLB) chains. */
export function portProtoHash(servicePortName: string, protocol: string): string {
  const hashes = hashesOf(servicePortName, protocol);
  if (hashes.port === undefined) {
    hashes.port = hash16(servicePortName + protocol.toLowerCase());
    remembered();
  }
  return hashes.port;
}

/** Suffix of a KUBE-SEP chain; `endpoint` is `ip:port` or `[ipv6]:port`. */
export function endpointHash(servicePortName: string, protocol: string, endpoint: string): string {
  const hashes = hashesOf(servicePortName, protocol);
  let hash = hashes.endpoints.get(endpoint);
  if (hash === undefined) {
    hash = hash16(servicePortName + protocol.toLowerCase() + endpoint);
    hashes.endpoints.set(endpoint, hash);
    remembered();
  }
  return hash;
}
