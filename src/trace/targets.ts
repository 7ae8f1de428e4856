/**
 * Target effects: what `-j TARGET` does to the packet and to the walk.
 */
import type { OptionNode, RuleNode, TargetNode, Value } from "../ast/types.js";
import { registry } from "../extensions/registry.js";
import { endpoint, withChanges, withUncertain, type PacketState } from "./packet.js";

export type Effect =
  /** Go on with the next rule (LOG, MARK, ...), with the packet as changed. */
  | { readonly kind: "continue"; readonly packet: PacketState }
  /** The table's walk ends here for this hook: ACCEPT (and the NAT targets), DROP, REJECT, QUEUE. */
  | { readonly kind: "verdict"; readonly verdict: string; readonly packet: PacketState }
  | { readonly kind: "return" }
  | { readonly kind: "jump"; readonly chain: string; readonly goto: boolean };

export interface TargetContext {
  readonly nodeIps: readonly string[];
  readonly from: "external" | "local";
}

/** Targets that neither decide nor change anything trace follows (logging, accounting, QoS bits). */
const NO_EFFECT = new Set(["LOG", "NFLOG", "ULOG", "TRACE", "AUDIT", "NFACCT", "IDLETIMER", "LED", "CHECKSUM", "CLASSIFY", "DSCP", "TOS", "ECN", "TTL", "HL", "TCPMSS", "TCPOPTMSS", "SECMARK", "CONNSECMARK", "RATEEST", "TEE", "SET"]);

/** Whether a rule's target, when it applies, changes nothing trace models (so an undecidable match on it need not branch). */
export function hasNoEffect(rule: RuleNode): boolean {
  const t = rule.target;
  return t === null || (t.extension && NO_EFFECT.has(t.name));
}

const opt = (t: TargetNode, ...names: string[]): OptionNode | undefined => t.options.find((o) => names.includes(o.name));
const num = (v: Value | undefined): number | null => {
  if (!v) return null;
  if (v.type === "mark" || v.type === "integer") return v.value >>> 0;
  const n = Number(v.text);
  return Number.isFinite(n) ? n >>> 0 : null;
};

/** `mark = (mark & ~mask) ^ value` with the option spellings iptables accepts. */
function newMark(mark: number, t: TargetNode): number | null {
  for (const o of t.options) {
    const v = o.values[0];
    switch (o.name) {
      case "--set-xmark":
        if (v?.type === "mark") return ((mark & ~v.mask) ^ v.value) >>> 0;
        return null;
      case "--set-mark":
        if (v?.type === "mark") return ((mark & ~(v.mask | v.value)) ^ v.value) >>> 0;
        return num(v);
      case "--and-mark": {
        const n = num(v);
        return n === null ? null : (mark & n) >>> 0;
      }
      case "--or-mark": {
        const n = num(v);
        return n === null ? null : (mark | n) >>> 0;
      }
      case "--xor-mark": {
        const n = num(v);
        return n === null ? null : (mark ^ n) >>> 0;
      }
    }
  }
  return null;
}

function connmark(p: PacketState, t: TargetNode): PacketState | null {
  const nfmask = num(opt(t, "--nfmask", "--mask")?.values[0]) ?? 0xffffffff;
  const ctmask = num(opt(t, "--ctmask", "--mask")?.values[0]) ?? 0xffffffff;
  if (opt(t, "--save-mark")) return withChanges(p, { ctmark: ((p.ctmark & ~ctmask) ^ (p.mark & nfmask)) >>> 0 });
  if (opt(t, "--restore-mark")) return withChanges(p, { mark: ((p.mark & ~nfmask) ^ (p.ctmark & ctmask)) >>> 0 });
  const m = newMark(p.ctmark, t);
  return m === null ? null : withChanges(p, { ctmark: m });
}

/** The address and port a NAT range picks. Ranges pick their first address (the kernel hashes; marked uncertain). */
function natTo(p: PacketState, v: Value | undefined, what: string): { ip: string; port: number | null; note: string | null } | null {
  if (!v || v.type !== "natRange") return null;
  const ip = v.fromAddress ?? p.dst;
  const port = v.fromPort ?? (what === "dst" ? p.dport : p.sport);
  const note =
    (v.toAddress && v.toAddress !== v.fromAddress) || (v.toPort !== null && v.toPort !== v.fromPort)
      ? `NAT range ${v.text}: the kernel picks one address/port of the range; shown is the first`
      : null;
  return { ip, port, note };
}

const hasPorts = (p: PacketState): boolean => p.proto === "tcp" || p.proto === "udp" || p.proto === "sctp";

export function applyTarget(rule: RuleNode, p: PacketState, ctx: TargetContext): Effect {
  const t = rule.target;
  if (!t) return { kind: "continue", packet: p };
  if (!t.extension) return { kind: "jump", chain: t.name, goto: t.goto };
  switch (t.name) {
    case "ACCEPT":
    case "DROP":
      return { kind: "verdict", verdict: t.name, packet: p };
    case "REJECT":
      return { kind: "verdict", verdict: "REJECT", packet: p };
    case "QUEUE":
    case "NFQUEUE":
      return { kind: "verdict", verdict: "QUEUE", packet: withUncertain(p, [`${t.name}: a userspace program decides the verdict`]) };
    case "RETURN":
      return { kind: "return" };
    case "DNAT": {
      const to = natTo(p, opt(t, "--to-destination")?.values[0], "dst");
      if (!to) return { kind: "verdict", verdict: "ACCEPT", packet: p };
      // A port in --to-destination is the new port whatever the old one was, so a bare-IP DEST gets it too.
      const q = withChanges(p, { dst: to.ip, dport: hasPorts(p) ? to.port : null });
      return { kind: "verdict", verdict: "ACCEPT", packet: withUncertain(q, to.note ? [to.note] : []) };
    }
    case "REDIRECT": {
      const ports = opt(t, "--to-ports")?.values[0];
      const port = ports?.type === "natRange" ? ports.fromPort : ports?.type === "portRange" ? ports.first : num(ports);
      const local = p.family === "ipv6" ? "::1" : "127.0.0.1";
      const ip = ctx.from === "local" ? local : (ctx.nodeIps.find((n) => n.includes(":") === (p.family === "ipv6")) ?? local);
      const q = withChanges(p, { dst: ip, dport: hasPorts(p) ? (port ?? p.dport) : null });
      const note = ctx.from === "external" && !ctx.nodeIps.length ? ["REDIRECT: the incoming interface's address is not known (give --node-ip)"] : [];
      return { kind: "verdict", verdict: "ACCEPT", packet: withUncertain(q, note) };
    }
    case "SNAT": {
      const v = opt(t, "--to-source")?.values[0];
      const to = natTo(p, v, "src");
      return { kind: "verdict", verdict: "ACCEPT", packet: withChanges(p, { snat: to ? endpoint(to.ip, v?.type === "natRange" ? v.fromPort : null) : (v?.text ?? "?") }) };
    }
    case "MASQUERADE":
      return { kind: "verdict", verdict: "ACCEPT", packet: withChanges(p, { masquerade: true }) };
    case "NETMAP":
      return { kind: "verdict", verdict: "ACCEPT", packet: withUncertain(p, ["NETMAP: the mapped address is not modelled"]) };
    case "MARK": {
      const m = newMark(p.mark, t);
      return { kind: "continue", packet: m === null ? withUncertain(p, ["MARK with options trace does not understand"]) : withChanges(p, { mark: m }) };
    }
    case "CONNMARK": {
      const q = connmark(p, t);
      return { kind: "continue", packet: q ?? withUncertain(p, ["CONNMARK with options trace does not understand"]) };
    }
    case "NOTRACK":
      return { kind: "continue", packet: withChanges(p, { ctstate: "UNTRACKED" }) };
    case "CT":
      return { kind: "continue", packet: opt(t, "--notrack") ? withChanges(p, { ctstate: "UNTRACKED" }) : p };
    default: {
      if (NO_EFFECT.has(t.name)) return { kind: "continue", packet: p };
      const spec = registry.target(t.name);
      if (spec?.terminating) return { kind: "verdict", verdict: t.name, packet: withUncertain(p, [`${t.name}: verdict not modelled`]) };
      if (spec) return { kind: "continue", packet: p };
      return { kind: "continue", packet: withUncertain(p, [`unknown target ${t.name}: assumed to go on with the next rule`]) };
    }
  }
}
