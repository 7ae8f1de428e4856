import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

export const jumpToBuiltin = graphRule(GraphCodes.jumpToBuiltin, GraphCodes.jumpToBuiltin.summary, {
  bad: `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A FORWARD -i lo -j INPUT
COMMIT
`,
  good: `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:LOCAL - [0:0]
-A INPUT -j LOCAL
-A FORWARD -j LOCAL
-A LOCAL -i lo -j ACCEPT
COMMIT
`,
});
