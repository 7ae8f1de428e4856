/**
 * KIPT3001: a KUBE-SEP chain whose DNAT is not the endpoint its name is the
 * hash of (kube-proxy names it `KUBE-SEP-` + hash(port name, protocol,
 * "ip:port")), or whose hairpin masquerade rule names another address.
 */
import ipaddr from "ipaddr.js";
import { endpointHash } from "../../kube/hash.js";
import { commentOf, dnatOf, hostOf, parseComment, sepDnat } from "../../kube/recognize.js";
import { defineRule } from "../rule.js";
import { kubeFacts, sepService, servicePortText } from "./kube-shared.js";

/** Whether `chain` is `KUBE-SEP-` + `hash` (compared in place: this runs for every KUBE-SEP chain). */
function isSepOf(chain: string, hash: string): boolean {
  return chain.length === 9 + hash.length && chain.endsWith(hash) && chain.startsWith("KUBE-SEP-");
}

function sameAddress(a: string, b: string): boolean {
  // The usual case, and no parse: kube-proxy writes the hairpin source and the DNAT alike.
  if (a === b) return true;
  try {
    return ipaddr.parse(a).toNormalizedString() === ipaddr.parse(b).toNormalizedString();
  } catch {
    return a === b;
  }
}

const NAT_HEAD = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SEP-B4KBD76YHXMJL4VO - [0:0]
:KUBE-SEP-V73B5NNFXA6V3U7A - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-YK2SNH4V42VSDWIJ - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SEP-B4KBD76YHXMJL4VO -s 10.240.0.28/32 -m comment --comment "default/nginx:web" -j KUBE-MARK-MASQ
-A KUBE-SEP-B4KBD76YHXMJL4VO -p tcp -m comment --comment "default/nginx:web" -m tcp -j DNAT --to-destination 10.240.0.28:80
`;

const NAT_TAIL = `-A KUBE-SERVICES -d 10.0.33.45/32 -p tcp -m comment --comment "default/nginx:web cluster IP" -m tcp --dport 80 -j KUBE-SVC-YK2SNH4V42VSDWIJ
-A KUBE-SVC-YK2SNH4V42VSDWIJ ! -s 10.240.0.0/16 -d 10.0.33.45/32 -p tcp -m comment --comment "default/nginx:web cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-YK2SNH4V42VSDWIJ -m comment --comment "default/nginx:web -> 10.240.0.28:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B4KBD76YHXMJL4VO
-A KUBE-SVC-YK2SNH4V42VSDWIJ -m comment --comment "default/nginx:web -> 10.240.0.57:80" -j KUBE-SEP-V73B5NNFXA6V3U7A
COMMIT
`;

export const sepDnatMismatch = defineRule({
  meta: {
    id: "KIPT3001",
    name: "sep-dnat-mismatch",
    severity: "error",
    summary: "A KUBE-SEP chain that DNATs to an endpoint its name is not the hash of, or whose hairpin rule names another address.",
    kubernetes: true,
    examples: {
      bad: `${NAT_HEAD}-A KUBE-SEP-V73B5NNFXA6V3U7A -s 10.240.0.57/32 -m comment --comment "default/nginx:web" -j KUBE-MARK-MASQ
-A KUBE-SEP-V73B5NNFXA6V3U7A -p tcp -m comment --comment "default/nginx:web" -m tcp -j DNAT --to-destination 10.240.0.75:80
${NAT_TAIL}`,
      good: `${NAT_HEAD}-A KUBE-SEP-V73B5NNFXA6V3U7A -s 10.240.0.57/32 -m comment --comment "default/nginx:web" -j KUBE-MARK-MASQ
-A KUBE-SEP-V73B5NNFXA6V3U7A -p tcp -m comment --comment "default/nginx:web" -m tcp -j DNAT --to-destination 10.240.0.57:80
${NAT_TAIL}`,
    },
  },
  check(context) {
    for (const facts of kubeFacts(context)) {
      for (const chain of facts.nat?.chains ?? []) {
        // serviceChain's SEP kind, without making its answer for each of the table's chains.
        if (chain.name.length <= 9 || !chain.name.startsWith("KUBE-SEP-")) continue;
        const service = sepService(facts, chain);
        let dnatIp: string | null = null;
        // The chain's first DNAT as the model read it (sepDnat's index): its endpoint text is not made again.
        const first = sepDnat(facts.nat, chain.name);
        for (const r of chain.rules) {
          const d = first !== null && r === first.rule ? first : dnatOf(r);
          if (!d) continue;
          dnatIp ??= d.ip;
          if (!service || d.ip === null || d.port === null) continue;
          const hash = endpointHash(service.name, service.protocol, d.endpoint);
          if (isSepOf(chain.name, hash)) continue;
          const expected = `KUBE-SEP-${hash}`;
          // What the name is the hash of, when a jump comment or the hairpin rule says.
          const claimed = new Set<string>();
          for (const j of facts.jumpsTo.get(chain.name) ?? []) {
            const c = commentOf(j);
            const e = c === null ? null : parseComment(c).endpoint;
            if (e) claimed.add(e);
          }
          for (const m of chain.rules) {
            const src = m.target?.name === "KUBE-MARK-MASQ" ? hostOf(m.source) : null;
            if (src) claimed.add(`${src.includes(":") ? `[${src}]` : src}:${d.port}`);
          }
          const real = [...claimed].find((e) => isSepOf(chain.name, endpointHash(service.name, service.protocol, e)));
          context.report({
            node: facts.node,
            rule: r,
            table: "nat",
            chain: chain.name,
            message: `${chain.name} DNATs to ${d.endpoint}, but the chain of ${servicePortText(service.name, service.protocol)} -> ${d.endpoint} is ${expected}${real ? `; ${chain.name} is the chain of ${real}, so the DNAT was changed after kube-proxy wrote it` : ": the rule was edited by hand, or the chain belongs to another endpoint"}`,
          });
        }
        if (dnatIp === null) continue;
        for (const r of chain.rules) {
          if (r.target?.name !== "KUBE-MARK-MASQ") continue;
          const src = hostOf(r.source);
          if (src === null || sameAddress(src, dnatIp)) continue;
          context.report({
            node: facts.node,
            rule: r,
            table: "nat",
            chain: chain.name,
            message: `${chain.name}'s hairpin rule masquerades traffic from ${src}, but the chain DNATs to ${dnatIp}: when ${dnatIp} reaches itself through the service, its traffic is not masqueraded`,
          });
        }
      }
    }
  },
});
