/**
 * KIPT3004: a service chain's endpoint cascade (`-m statistic --mode random
 * --probability p` rules to KUBE-SEP chains) that is not kube-proxy's equal
 * split: the effective shares (exact, as the kernel rounds each
 * probability) are uneven, or do not add up to 1 so that some new
 * connections fall through the end of the chain and reach no endpoint.
 */
import { cascade, isEqualSplit } from "../../kube/cascade.js";
import { Fraction } from "../../math/fraction.js";
import { defineRule } from "../rule.js";
import { cascadeSteps, isDispatchChain, kubeFacts } from "./kube-shared.js";

function dump(first: string, second: string): string {
  return `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SEP-7PI4NT77BE5VR6NG - [0:0]
:KUBE-SEP-DQFAR6TGMXRAPA22 - [0:0]
:KUBE-SEP-ZBKNRYNHRK5JVO3J - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-PY4JZH2ITZYEO4CN - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-SEP-7PI4NT77BE5VR6NG -s 10.240.1.11/32 -m comment --comment "shop/frontend:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-7PI4NT77BE5VR6NG -p tcp -m comment --comment "shop/frontend:http" -m tcp -j DNAT --to-destination 10.240.1.11:8080
-A KUBE-SEP-DQFAR6TGMXRAPA22 -s 10.240.2.14/32 -m comment --comment "shop/frontend:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-DQFAR6TGMXRAPA22 -p tcp -m comment --comment "shop/frontend:http" -m tcp -j DNAT --to-destination 10.240.2.14:8080
-A KUBE-SEP-ZBKNRYNHRK5JVO3J -s 10.240.3.9/32 -m comment --comment "shop/frontend:http" -j KUBE-MARK-MASQ
-A KUBE-SEP-ZBKNRYNHRK5JVO3J -p tcp -m comment --comment "shop/frontend:http" -m tcp -j DNAT --to-destination 10.240.3.9:8080
-A KUBE-SERVICES -d 10.0.120.7/32 -p tcp -m comment --comment "shop/frontend:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-PY4JZH2ITZYEO4CN
-A KUBE-SVC-PY4JZH2ITZYEO4CN ! -s 10.240.0.0/16 -d 10.0.120.7/32 -p tcp -m comment --comment "shop/frontend:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-PY4JZH2ITZYEO4CN -m comment --comment "shop/frontend:http -> 10.240.1.11:8080" -m statistic --mode random --probability ${first} -j KUBE-SEP-7PI4NT77BE5VR6NG
-A KUBE-SVC-PY4JZH2ITZYEO4CN -m comment --comment "shop/frontend:http -> 10.240.2.14:8080" -m statistic --mode random --probability ${second} -j KUBE-SEP-DQFAR6TGMXRAPA22
-A KUBE-SVC-PY4JZH2ITZYEO4CN -m comment --comment "shop/frontend:http -> 10.240.3.9:8080" -j KUBE-SEP-ZBKNRYNHRK5JVO3J
COMMIT
`;
}

/** Endpoints listed by name in a message. */
const MAX_LISTED = 8;

/** Decimals (1 to 6) at which some share's percentage differs from 1/n's; 1 when none does. */
function decimalsToShow(shares: readonly Fraction[], fair: Fraction): number {
  const target = fair.toNumber() * 100;
  for (let d = 1; d <= 6; d++) if (shares.some((k) => (k.toNumber() * 100).toFixed(d) !== target.toFixed(d))) return d;
  return 1;
}

export const probabilityCascade = defineRule({
  meta: {
    id: "KIPT3004",
    name: "probability-cascade",
    severity: "warning",
    summary: "An endpoint cascade whose effective shares are not kube-proxy's equal split, or that lets traffic fall through the end of the chain.",
    kubernetes: true,
    examples: { bad: dump("0.50000000000", "0.50000000000"), good: dump("0.33333333349", "0.50000000000") },
  },
  check(context) {
    for (const facts of kubeFacts(context)) {
      for (const chain of facts.nat?.chains ?? []) {
        if (!isDispatchChain(chain.name)) continue;
        const steps = cascadeSteps(facts.nat, chain);
        if (steps.length === 0) continue;
        // kube-proxy's equal split, nearly every chain: no need for the exact shares.
        if (isEqualSplit(steps)) continue;
        const result = cascade(steps);
        const n = steps.length;
        const fair = Fraction.of(1, n);
        const label = (i: number) => steps[i]!.endpoint ?? steps[i]!.sep;
        // Enough decimals to show how the shares differ from 1/n (33.333% against 33.334%, not 33.3% twice).
        const decimals = decimalsToShow(result.kernel, fair);
        const percent = (f: Fraction) => (decimals === 1 ? f.toPercentFixed() : `${(f.toNumber() * 100).toFixed(decimals)}%`);
        // A message is one line: name the first endpoints, count the rest.
        const shown = result.kernel.slice(0, MAX_LISTED).map((k, i) => `${label(i)} ${percent(k)}`);
        if (n > MAX_LISTED) shown.push(`and ${n - MAX_LISTED} more`);
        const shares = shown.join(", ");
        const parts: string[] = [];
        if (!result.fallthrough.isZero()) {
          const last = steps[n - 1]!;
          parts.push(`the last endpoint rule (line ${last.rule.line}) has a statistic match, so ${result.fallthrough.toPercentFixed()} of new connections fall through the end of the chain and reach no endpoint`);
        }
        const uneven = result.kernel.some((k) => percent(k) !== percent(fair));
        if (uneven) parts.push(`the effective shares are ${shares}, not kube-proxy's equal split of ${percent(fair)} each`);
        else if (parts.length === 0) parts.push(`the shares are ${shares}, but the probabilities are not the ones kube-proxy writes for an equal split`);
        else parts.push(`the shares are ${shares}`);
        context.report({
          node: facts.node,
          rule: steps[0]!.rule,
          table: "nat",
          chain: chain.name,
          fingerprint: chain.name,
          message: `${chain.name} does not split new connections equally over its ${n} endpoint${n === 1 ? "" : "s"}: ${parts.join("; ")}`,
        });
      }
    }
  },
});
