import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

export const unreachableChain = graphRule(GraphCodes.unreachableChain, GraphCodes.unreachableChain.summary, {
  bad: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:SSH-IN - [0:0]
-A SSH-IN -s 10.0.0.0/8 -j ACCEPT
COMMIT
`,
  good: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:SSH-IN - [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j SSH-IN
-A SSH-IN -s 10.0.0.0/8 -j ACCEPT
COMMIT
`,
});
