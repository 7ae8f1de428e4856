/**
 * Rewrites iptables applies to an extension's options before storing them,
 * so that printing the rewritten options gives iptables-save's text. Kept
 * per extension, beside the declarative catalogue, because each is a small
 * piece of logic (bit arithmetic, defaults that depend on other options).
 */
import type { MarkValue, OptionNode, Value } from "../ast/types.js";

type Rewrite = (options: OptionNode[]) => OptionNode[];

function option(name: string, values: Value[], like?: OptionNode): OptionNode {
  return { name, negated: false, values, line: like?.line ?? 0, column: like?.column ?? 0, offset: like?.offset ?? -1, length: like?.length ?? 0 };
}

function mark(value: number, mask: number): MarkValue {
  return { type: "mark", text: "", value: value >>> 0, mask: mask >>> 0, hasMask: true };
}

function numberOf(o: OptionNode | undefined): number | null {
  const v = o?.values[0];
  if (!v) return null;
  if (v.type === "integer") return v.value;
  if (v.type === "mark") return v.value;
  return null;
}

/** MARK/CONNMARK --set-mark/--and-mark/--or-mark/--xor-mark are all stored as --set-xmark value/mask. */
function xmark(options: OptionNode[], connmark: boolean): OptionNode[] {
  return options.map((o) => {
    const v = o.values[0];
    switch (o.name) {
      case "--set-mark": {
        if (v?.type !== "mark") return o;
        // --set-mark V/M is (mark & ~M) | V, i.e. xmark V/M; with no mask, M is all ones.
        return option("--set-xmark", [mark(v.value, v.hasMask ? v.mask : 0xffffffff)], o);
      }
      case "--and-mark": {
        const n = numberOf(o);
        return n === null ? o : option("--set-xmark", [mark(0, ~n)], o);
      }
      case "--or-mark": {
        const n = numberOf(o);
        return n === null ? o : option("--set-xmark", [mark(n, n)], o);
      }
      case "--xor-mark": {
        const n = numberOf(o);
        return n === null ? o : option("--set-xmark", [mark(n, 0)], o);
      }
      default:
        return o;
    }
  }).filter((o) => connmark || o.name !== "--mask");
}

const rewrites: Record<string, Rewrite> = {
  MARK: (options) => xmark(options, false),
  CONNMARK: (options) => xmark(options, true),
  recent: (options) => {
    // iptables-save always prints the list name, mask and direction.
    const out = [...options];
    if (!out.some((o) => o.name === "--name")) out.push(option("--name", [{ type: "string", text: "DEFAULT" }]));
    if (!out.some((o) => o.name === "--mask")) {
      out.push(option("--mask", [{ type: "address", text: "255.255.255.255", family: "ipv4", address: "255.255.255.255", prefixLength: 32, hasPrefix: false }]));
    }
    if (!out.some((o) => o.name === "--rsource" || o.name === "--rdest")) out.push(option("--rsource", []));
    return out;
  },
  limit: (options) => options.filter((o) => !(o.name === "--limit-burst" && numberOf(o) === 5)),
  LOG: (options) => options.filter((o) => !(o.name === "--log-level" && (o.values[0]?.text === "4" || o.values[0]?.text === "warning"))),
};

/** Options as iptables stores them for extension `name`. */
export function canonicalOptions(name: string, options: OptionNode[]): OptionNode[] {
  const rewrite = rewrites[name];
  return rewrite ? rewrite(options) : options;
}
