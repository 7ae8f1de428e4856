/** kube-proxy (iptables mode) recognition and `kipt explain`. */
export { explain, ownerOf, type Explanation, type ExplainOptions, type TableSummary, type OwnerSummary, type NatRuleSummary } from "./explain.js";
export {
  buildKubeModel,
  type KubeModel,
  type KubeServicePort,
  type KubeFrontend,
  type KubeEndpointShare,
  type KubeServiceEndpoint,
  type KubeFinding,
  type FrontendType,
  type NoEndpointsPolicy,
} from "./model.js";
export { portProtoHash, endpointHash, hash16 } from "./hash.js";
export { cascade, kubeProxyDecimals, type CascadeResult, type CascadeStep } from "./cascade.js";
export { renderText, type TextOptions } from "./render-text.js";
export { renderJson, explanationToJson } from "./render-json.js";
export { parseComment, serviceChain, type ServiceChainKind } from "./recognize.js";
export { readClusterEndpoints, type ClusterEndpoints, type ClusterServicePort, type ClusterEndpoint } from "./endpoints-file.js";
