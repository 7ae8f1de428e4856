/** The netfilter packet simulator behind `kipt trace`. */
export { trace, serviceOf, type TraceOptions, type TraceOutcome, type TraceResult, type Route } from "./trace.js";
export { Fraction } from "../math/fraction.js";
export { parseDest, parsePort, pickSource, initialState, packetKey, DestError, CT_STATES, type PacketSpec, type PacketState, type RecentHits, type Protocol, type Origin, type CtState } from "./packet.js";
export { MATCHES, evaluateMatch, builtinMatch, type MatchOutcome, type MatchContext, type Assume } from "./matches.js";
export type { Facts, IfaceFact, EnumFact, PortRanges } from "./facts.js";
export { kernelProbability } from "../extensions/statistic.js";
export { applyTarget, type Effect } from "./targets.js";
export { traceToJson, traceToText, serviceLines } from "./render.js";
export type { FlatStep, PathStep } from "./path.js";
