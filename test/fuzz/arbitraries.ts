/**
 * Grammar-aware fast-check arbitraries for valid iptables-save dumps: the
 * tables filter/nat/mangle/raw/security, built-in and user chains, rules with and
 * without counters, negations, addresses and CIDRs, interfaces, ports and
 * ranges, multiport, conntrack/state, comments with quotes and backslashes,
 * marks, statistic, and the DNAT/SNAT/MASQUERADE/REJECT/MARK/LOG targets.
 * Jumps only go to declared user chains of the same table, and only "down"
 * (user chain i jumps to chains after i), so the chain graph has no loops.
 */
import fc from "fast-check";
import { BUILTIN_CHAINS } from "../../src/parser/parse.js";

const TABLES = ["filter", "nat", "mangle", "raw", "security"] as const;
type Table = (typeof TABLES)[number];

const byte = fc.integer({ min: 0, max: 255 });
export const ipv4 = fc.tuple(byte, byte, byte, byte).map((o) => o.join("."));
const cidr = fc.tuple(ipv4, fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined })).map(([ip, p]) => (p === undefined ? ip : `${ip}/${p}`));
const port = fc.integer({ min: 0, max: 65535 });
const portSpec = fc.oneof(
  port.map(String),
  // A range with equal ends is a single port for tcp/udp, but multiport refuses it ("invalid portrange specified").
  fc.tuple(port, port).filter(([a, b]) => a !== b).map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`),
);
const neg = fc.boolean().map((b) => (b ? "! " : ""));
const iface = fc.tuple(fc.constantFrom("eth", "veth", "cni", "docker", "wg", "lo"), fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }), fc.boolean()).map(
  ([n, i, plus]) => `${n}${i ?? ""}${plus ? "+" : ""}`,
);
const hex = (max: number) => fc.integer({ min: 0, max }).map((n) => `0x${n.toString(16)}`);
const counters = fc.tuple(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([p, b]) => `[${p}:${b}]`);

/** Text of a quoted string with `"` and `\` escaped as iptables-save does. */
const quoted = (unit: fc.Arbitrary<string>, max: number) =>
  fc.string({ unit, minLength: 1, maxLength: max }).map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
const commentChar = fc.constantFrom(..."abcXYZ019 -_/:.,=()\"'\\".split(""), "é", "ü", "→");
const comment = quoted(commentChar, 40);
const logPrefix = quoted(fc.constantFrom(..."abcXYZ01 -_:\"'\\".split("")), 20);

const states = (names: readonly string[]) => fc.subarray([...names], { minLength: 1 }).map((s) => s.join(","));
const probability = fc.oneof(
  fc.integer({ min: 0, max: 10 ** 11 }).map((n) => (n / 10 ** 11).toFixed(11)),
  fc.integer({ min: 1, max: 20 }).map((n) => (1 / n).toFixed(10)),
  fc.constantFrom("0.5", "1", "0", "0.25"),
);

type Proto = "tcp" | "udp" | "icmp" | "all" | null;

function matchesFor(proto: Proto): fc.Arbitrary<string[]> {
  const list: fc.Arbitrary<string>[] = [
    comment.map((c) => `-m comment --comment ${c}`),
    fc.tuple(neg, states(["NEW", "RELATED", "ESTABLISHED", "INVALID", "UNTRACKED", "SNAT", "DNAT"])).map(([n, s]) => `-m conntrack ${n}--ctstate ${s}`),
    fc.tuple(neg, states(["NEW", "RELATED", "ESTABLISHED", "INVALID", "UNTRACKED"])).map(([n, s]) => `-m state ${n}--state ${s}`),
    fc.tuple(neg, hex(0xffffffff), fc.option(hex(0xffffffff), { nil: undefined })).map(([n, v, m]) => `-m mark ${n}--mark ${v}${m ? `/${m}` : ""}`),
    probability.map((p) => `-m statistic --mode random --probability ${p}`),
    fc.integer({ min: 2, max: 10 }).chain((every) => fc.integer({ min: 0, max: every - 1 }).map((p) => `-m statistic --mode nth --every ${every} --packet ${p}`)),
  ];
  if (proto === "tcp" || proto === "udp") {
    list.push(
      fc.tuple(neg, portSpec, neg, portSpec).map(([n1, d, n2, s]) => `-m ${proto} ${n2}--sport ${s} ${n1}--dport ${d}`),
      fc.tuple(neg, portSpec).map(([n, d]) => `-m ${proto} ${n}--dport ${d}`),
      // At most 7 entries: a range takes two of multiport's 15 slots.
      fc.tuple(neg, fc.array(portSpec, { minLength: 1, maxLength: 7 })).map(([n, ps]) => `-m multiport ${n}--dports ${ps.join(",")}`),
    );
  }
  if (proto === "icmp") list.push(fc.tuple(neg, fc.constantFrom("8", "0", "3/4", "echo-request", "destination-unreachable")).map(([n, t]) => `-m icmp ${n}--icmp-type ${t}`));
  return fc.array(fc.oneof(...list), { maxLength: 4 });
}

function targetFor(table: Table, chain: string, proto: Proto, jumpable: readonly string[]): fc.Arbitrary<string> {
  const list: fc.Arbitrary<string>[] = [
    fc.constantFrom("-j ACCEPT", "-j RETURN"),
    fc.tuple(logPrefix, fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined })).map(([p, l]) => `-j LOG --log-prefix ${p}${l === undefined ? "" : ` --log-level ${l}`}`),
  ];
  if (jumpable.length) list.push(fc.tuple(fc.constantFrom("-j", "-g"), fc.constantFrom(...jumpable)).map(([j, c]) => `${j} ${c}`));
  if (table === "filter") {
    list.push(fc.constant("-j DROP"));
    const rejects = ["icmp-port-unreachable", "icmp-host-prohibited", "icmp-net-unreachable", "icmp-admin-prohibited"];
    if (proto === "tcp") rejects.push("tcp-reset");
    list.push(fc.constantFrom(...rejects).map((r) => `-j REJECT --reject-with ${r}`));
  }
  if (table === "mangle" || table === "filter") {
    list.push(fc.tuple(hex(0xffffffff), hex(0xffffffff)).map(([v, m]) => `-j MARK --set-xmark ${v}/${m}`));
    list.push(hex(0xffff).map((v) => `-j MARK --set-mark ${v}`));
  }
  if (table === "nat") {
    // Only in the hooks the kernel allows them (user chains may be called from any hook).
    const withPort = proto === "tcp" || proto === "udp";
    if (chain === "PREROUTING" || chain === "OUTPUT") {
      list.push(fc.tuple(ipv4, port).map(([ip, p]) => `-j DNAT --to-destination ${ip}${withPort ? `:${p}` : ""}`));
    }
    if (chain === "POSTROUTING" || chain === "INPUT") list.push(ipv4.map((ip) => `-j SNAT --to-source ${ip}`));
    if (chain === "POSTROUTING") {
      list.push(fc.constant("-j MASQUERADE"));
      if (withPort) list.push(fc.tuple(port, port).map(([a, b]) => `-j MASQUERADE --to-ports ${Math.min(a, b)}-${Math.max(a, b)}`));
    }
  }
  if (table === "raw") list.push(fc.constant("-j NOTRACK"));
  return fc.oneof(...list);
}

function rule(table: Table, chain: string, jumpable: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      counters: fc.option(counters, { nil: undefined }),
      src: fc.option(fc.tuple(neg, cidr), { nil: undefined }),
      dst: fc.option(fc.tuple(neg, cidr), { nil: undefined }),
      in: fc.option(fc.tuple(neg, iface), { nil: undefined }),
      out: fc.option(fc.tuple(neg, iface), { nil: undefined }),
      proto: fc.option(fc.constantFrom<Proto>("tcp", "udp", "icmp", "all"), { nil: null }),
      protoNeg: neg,
    })
    .chain((r) =>
      fc.tuple(matchesFor(r.proto), targetFor(table, chain, r.proto, jumpable)).map(([generated, target]) => {
        // One match per protocol extension (iptables-nft merges repeats on save), and no
        // negated protocol under a match that needs it (iptables refuses that, KIPT1024).
        const seen = new Set<string>();
        const matches = generated.filter((m) => {
          const name = /^-m (tcp|udp|icmp|multiport) /.exec(m)?.[1];
          if (!name) return true;
          if (seen.has(name)) return false;
          seen.add(name);
          return true;
        });
        const protoNeg = seen.size > 0 || target.includes("tcp-reset") ? "" : r.protoNeg;
        const parts = [];
        if (r.counters) parts.push(r.counters);
        parts.push(`-A ${chain}`);
        // No negated /0 (`! -s 0.0.0.0/0` never matches; nf_tables refuses it, KIPT1023).
        const negatable = (a: readonly [string, string]) => (a[1].endsWith("/0") ? "" : a[0]);
        if (r.src) parts.push(`${negatable(r.src)}-s ${r.src[1]}`);
        if (r.dst) parts.push(`${negatable(r.dst)}-d ${r.dst[1]}`);
        // No -i in output chains and no -o in input chains (iptables refuses them).
        if (r.in && !["OUTPUT", "POSTROUTING"].includes(chain)) parts.push(`${r.in[0]}-i ${r.in[1]}`);
        if (r.out && !["INPUT", "PREROUTING"].includes(chain)) parts.push(`${r.out[0]}-o ${r.out[1]}`);
        if (r.proto) parts.push(`${r.proto === "all" ? "" : protoNeg}-p ${r.proto}`);
        parts.push(...matches, target);
        return parts.join(" ");
      }),
    );
}

const userChainName = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map((n) => `CHAIN-${n}`),
  fc.integer({ min: 0, max: 999 }).map((n) => `cali-fw-${n.toString(36)}`),
  fc.integer({ min: 0, max: 999 }).map((n) => `KUBE-SEP-X${n}`),
);

function table(name: Table): fc.Arbitrary<string> {
  const builtins = BUILTIN_CHAINS[name]!;
  return fc
    .record({
      users: fc.uniqueArray(userChainName, { maxLength: 6 }),
      policies: fc.array(fc.tuple(fc.constantFrom("ACCEPT", "DROP"), counters), { minLength: builtins.length, maxLength: builtins.length }),
    })
    .chain(({ users, policies }) => {
      const chains = [...builtins, ...users];
      const jumpable = (c: string) => (builtins.includes(c) ? users : users.slice(users.indexOf(c) + 1));
      const rules = fc.array(
        fc.constantFrom(...chains).chain((c) => rule(name, c, jumpable(c))),
        { maxLength: 25 },
      );
      return rules.map((rs) =>
        [
          `*${name}`,
          ...builtins.map((c, i) => `:${c} ${name === "nat" ? "ACCEPT" : policies[i]![0]} ${policies[i]![1]}`),
          ...users.map((c) => `:${c} - [0:0]`),
          ...rs,
          "COMMIT",
        ].join("\n"),
      );
    });
}

/** A whole valid dump: one to four tables, with iptables-save's header and footer comments sometimes. */
export const validDump: fc.Arbitrary<string> = fc
  .tuple(fc.shuffledSubarray([...TABLES], { minLength: 1 }), fc.boolean())
  .chain(([names, headers]) =>
    fc.tuple(...names.map(table)).map((tables) =>
      tables
        .map((t) => (headers ? `# Generated by iptables-save v1.8.9 (nf_tables) on Wed Nov 25 12:00:00 2026\n${t}\n# Completed on Wed Nov 25 12:00:00 2026` : t))
        .join("\n") + "\n",
    ),
  );

/**
 * A kube-proxy-like service: KUBE-SERVICES -> KUBE-SVC with a statistic
 * cascade over n endpoints -> KUBE-SEP DNAT rules. The probabilities are
 * kube-proxy's equal split or arbitrary, and the last rule is unconditional
 * or not (traffic may fall through). Returns the dump and the frontend.
 */
export const kubeCascade: fc.Arbitrary<{ text: string; ip: string; port: number }> = fc
  .record({
    ip: ipv4,
    port: fc.integer({ min: 1, max: 65535 }),
    n: fc.integer({ min: 1, max: 12 }),
    equal: fc.boolean(),
    lastUnconditional: fc.boolean(),
    masq: fc.boolean(),
    affinity: fc.boolean(),
    decimals: fc.constantFrom(5, 10, 11),
  })
  .chain((c) =>
    fc.tuple(fc.constant(c), fc.array(probability, { minLength: c.n, maxLength: c.n }), fc.array(fc.tuple(ipv4, port), { minLength: c.n, maxLength: c.n })),
  )
  .map(([c, probs, endpoints]) => {
    const svc = "KUBE-SVC-ABCDEFGHIJKLMNOP";
    const seps = endpoints.map((_, i) => `KUBE-SEP-${String(i).padStart(16, "Q")}`);
    const rules = [
      "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
      "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
      "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
      "-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000",
      "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
      "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0",
      "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
      `-A KUBE-SERVICES -d ${c.ip}/32 -p tcp -m comment --comment "ns/svc:web cluster IP" -m tcp --dport ${c.port} -j ${svc}`,
    ];
    if (c.masq) rules.push(`-A ${svc} ! -s 10.244.0.0/16 -d ${c.ip}/32 -p tcp -m comment --comment "ns/svc:web cluster IP" -m tcp --dport ${c.port} -j KUBE-MARK-MASQ`);
    seps.forEach((sep, i) => {
      const last = i === c.n - 1;
      const p = c.equal ? (1 / (c.n - i)).toFixed(c.decimals) : probs[i]!;
      const recent = c.affinity ? `-m recent --rcheck --seconds 10800 --reap --name ${sep} --mask 255.255.255.255 --rsource ` : "";
      if (c.affinity) rules.push(`-A ${svc} -m comment --comment "ns/svc:web -> ${endpoints[i]![0]}:${endpoints[i]![1]}" ${recent}-j ${sep}`);
      const stat = last && c.lastUnconditional ? "" : `-m statistic --mode random --probability ${p} `;
      rules.push(`-A ${svc} -m comment --comment "ns/svc:web -> ${endpoints[i]![0]}:${endpoints[i]![1]}" ${stat}-j ${sep}`);
      rules.push(`-A ${sep} -s ${endpoints[i]![0]}/32 -m comment --comment "ns/svc:web" -j KUBE-MARK-MASQ`);
      const set = c.affinity ? `-m recent --set --name ${sep} --mask 255.255.255.255 --rsource ` : "";
      rules.push(`-A ${sep} -p tcp -m comment --comment "ns/svc:web" ${set}-m tcp -j DNAT --to-destination ${endpoints[i]![0]}:${endpoints[i]![1]}`);
    });
    const chains = ["KUBE-MARK-MASQ", "KUBE-POSTROUTING", "KUBE-SERVICES", svc, ...seps];
    const text = [
      "*nat",
      ":PREROUTING ACCEPT [0:0]",
      ":INPUT ACCEPT [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      ":POSTROUTING ACCEPT [0:0]",
      ...chains.map((ch) => `:${ch} - [0:0]`),
      ...rules,
      "COMMIT",
      "*filter",
      ":INPUT ACCEPT [0:0]",
      ":FORWARD DROP [0:0]",
      ":OUTPUT ACCEPT [0:0]",
      "-A FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT",
      "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
      `-A FORWARD -m statistic --mode random --probability ${probs[0]} -j ACCEPT`,
      "COMMIT",
      "",
    ].join("\n");
    return { text, ip: c.ip, port: c.port };
  });
