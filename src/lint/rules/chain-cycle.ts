import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

export const chainCycle = graphRule(GraphCodes.chainCycle, GraphCodes.chainCycle.summary, {
  bad: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
-A INPUT -j A
-A A -p tcp -j B
-A B -p tcp -m tcp --dport 22 -j A
COMMIT
`,
  good: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:A - [0:0]
:B - [0:0]
-A INPUT -j A
-A A -p tcp -j B
-A B -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`,
});
