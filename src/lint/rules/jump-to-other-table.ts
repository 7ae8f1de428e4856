import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

export const jumpToOtherTable = graphRule(GraphCodes.jumpToOtherTable, GraphCodes.jumpToOtherTable.summary, {
  bad: `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:WEB - [0:0]
-A WEB -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -j WEB
COMMIT
`,
  good: `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:WEB - [0:0]
-A PREROUTING -j WEB
-A WEB -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080
COMMIT
`,
});
