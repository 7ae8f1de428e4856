import { GraphCodes } from "../../diagnostics/graph-codes.js";
import { graphRule } from "./graph-rule.js";

export const failedCommand = graphRule(GraphCodes.failedCommand, GraphCodes.failedCommand.summary, {
  bad: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:BLOCKLIST - [0:0]
-A INPUT -j BLOCKLIST
-A BLOCKLIST -s 203.0.113.7/32 -j DROP
-I BLOCKLIST 3 -s 198.51.100.9/32 -j DROP
COMMIT
`,
  good: `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:BLOCKLIST - [0:0]
-A INPUT -j BLOCKLIST
-A BLOCKLIST -s 203.0.113.7/32 -j DROP
-I BLOCKLIST 2 -s 198.51.100.9/32 -j DROP
COMMIT
`,
});
