import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

const nat = (rules: string) => `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:EGRESS - [0:0]
${rules}
COMMIT
`;

export const wrongPlace = graphRule(GraphCodes.wrongPlace, GraphCodes.wrongPlace.summary, {
  bad: nat(`-A INPUT -j EGRESS
-A POSTROUTING -j EGRESS
-A EGRESS -o eth0 -j MASQUERADE`),
  good: nat(`-A POSTROUTING -j EGRESS
-A EGRESS -o eth0 -j MASQUERADE`),
});
