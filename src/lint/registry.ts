/**
 * Every lint rule, in ID order. IDs are never reused: a retired rule keeps
 * its number (leave a comment here). KIPT1xxx are the parser's codes (they
 * flow through lint as findings), KIPT2xxx structure rules, KIPT3xxx
 * Kubernetes rules (each a module in src/lint/rules/, added here).
 */
import { chainCycle } from "./rules/chain-cycle.js";
import { dnatOutsideCluster } from "./rules/dnat-outside-cluster.js";
import { duplicateEndpoint } from "./rules/duplicate-endpoint.js";
import { duplicateRule } from "./rules/duplicate-rule.js";
import { jumpToOtherTable } from "./rules/jump-to-other-table.js";
import { jumpToBuiltin } from "./rules/jump-to-builtin.js";
import { jumpDepth } from "./rules/jump-depth.js";
import { wrongPlace } from "./rules/wrong-place.js";
import { failedCommand } from "./rules/failed-command.js";
import { missingEndpoint } from "./rules/missing-endpoint.js";
import { nodeDrift } from "./rules/node-drift.js";
import { noEndpoints } from "./rules/no-endpoints.js";
import { probabilityCascade } from "./rules/probability-cascade.js";
import { sepDnatMismatch } from "./rules/sep-dnat-mismatch.js";
import { serviceHashMismatch } from "./rules/service-hash-mismatch.js";
import { shadowedRule } from "./rules/shadowed-rule.js";
import { staleEndpoint } from "./rules/stale-endpoint.js";
import { staleKubeChain } from "./rules/stale-kube-chain.js";
import { undefinedTarget } from "./rules/undefined-target.js";
import { unreachableChain } from "./rules/unreachable-chain.js";
import { unknownService } from "./rules/unknown-service.js";
import { unreachableRule } from "./rules/unreachable-rule.js";
import { allGraphCodes } from "../diagnostics/graph-codes.js";
import type { LintRule } from "./rule.js";

export const lintRules: readonly LintRule[] = [
  undefinedTarget, // KIPT2001
  unreachableChain, // KIPT2002
  chainCycle, // KIPT2003
  jumpToOtherTable, // KIPT2004
  unreachableRule, // KIPT2005
  shadowedRule, // KIPT2006
  duplicateRule, // KIPT2007
  jumpToBuiltin, // KIPT2008
  jumpDepth, // KIPT2009
  wrongPlace, // KIPT2010
  failedCommand, // KIPT2011
  sepDnatMismatch, // KIPT3001
  serviceHashMismatch, // KIPT3002
  staleKubeChain, // KIPT3003
  probabilityCascade, // KIPT3004
  duplicateEndpoint, // KIPT3005
  noEndpoints, // KIPT3006
  staleEndpoint, // KIPT3007
  missingEndpoint, // KIPT3008
  unknownService, // KIPT3009
  dnatOutsideCluster, // KIPT3010
  nodeDrift, // KIPT3011
];

/** Rules whose codes the lint module introduces (the graph module owns its codes and their pages). */
export const lintOwnedRules: readonly LintRule[] = lintRules.filter((r) => !allGraphCodes.some((c) => c.id === r.meta.id));

export function findRule(idOrName: string): LintRule | undefined {
  return lintRules.find((r) => r.meta.id === idOrName || r.meta.name === idOrName);
}
