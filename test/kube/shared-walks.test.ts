// The kube model shares the walk of a chain whose walks all give the same
// result (src/kube/model.ts, pureWalks): it must be the model that walking
// every chain every time builds, on every corpus and on kube-proxy dumps
// whose service chains were changed by hand (RETURN, drops, affinity,
// conditional masquerade and endpoint rules, rules removed).
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filesIn } from "../corpora.js";
import { generateKubeDump } from "../../bench/gen-kube-dump.mjs";
import { buildKubeModel } from "../../src/kube/model.js";
import { load } from "../../src/model/load.js";
import { parse } from "../../src/parser/parse.js";
import { fixtures, read, root, wild } from "./helpers.js";

function expectSameModel(text: string): void {
  const ruleset = load(parse(text).dump);
  expect(buildKubeModel(ruleset)).toStrictEqual(buildKubeModel(ruleset, { shareWalks: false }));
}


describe("shared walks of the kube model", () => {
  const corpora = [
    ...filesIn(path.join(root, "samples"), (f) => f.endsWith(".txt")),
    ...filesIn(fixtures, (f) => f.endsWith(".txt") || f.endsWith(".rules")),
    ...filesIn(wild, (f) => f.endsWith(".txt")),
  ];
  it.each(corpora.map((f) => [path.relative(root, f), f]))("give the model of unshared walks on %s", (_name, file) => {
    expectSameModel(read(file));
  });

  it("give the model of unshared walks on kube-proxy dumps of every form", () => {
    expectSameModel(generateKubeDump({ services: 120, seed: 21 }));
    expectSameModel(generateKubeDump({ services: 120, seed: 22, form: "restore" }));
    expectSameModel(generateKubeDump({ services: 120, seed: 23, largeClusterMode: true }));
  });

  const base = generateKubeDump({ services: 60, seed: 24 }).split("\n");
  // Service chains' rules, where a change can make one walk differ from another.
  const editable = base.flatMap((line, i) => (/^-A KUBE-(SVC|SVL|EXT|FW)-/.test(line) ? [i] : []));
  const destinations = [...new Set(base.flatMap((line) => (line.startsWith("-A KUBE-S") ? (/ -d (\S+)/.exec(line)?.[1] ?? []) : [])))];
  const dispatch = [...new Set(base.flatMap((line) => /^-A (KUBE-SVC-[A-Z0-9]+) .*-m recent --rcheck/.exec(line)?.[1] ?? []))];
  const seps = [...new Set(base.flatMap((line) => /-j (KUBE-SEP-[A-Z0-9]+)/.exec(line)?.[1] ?? []))];
  const inserted = fc.oneof(
    fc.constant("-j RETURN"),
    fc.constant('-m comment --comment "x" -j KUBE-MARK-DROP'),
    fc.constant("-s 10.0.0.0/8 -j KUBE-MARK-MASQ"),
    fc.constant("! -s 10.240.0.0/12 -j KUBE-MARK-MASQ"),
    fc.constant("-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ"),
    fc.constant("-d 10.96.0.0/12 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ"),
    fc.constantFrom(...seps).map((sep) => `-m recent --rcheck --seconds 10800 --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}`),
    fc.constantFrom(...seps).map((sep) => `-m statistic --mode random --probability 0.50000000000 -j ${sep}`),
    // Rules whose condition holds for some walks only: by destination (one of the dump's
    // service addresses), by the kind of traffic (address types, a source network).
    fc.tuple(fc.constantFrom(...destinations), fc.constantFrom(...seps)).map(([d, sep]) => `-d ${d} -j ${sep}`),
    fc.constantFrom(...seps).map((sep) => `-m addrtype --src-type LOCAL -j ${sep}`),
    fc.constantFrom(...seps).map((sep) => `-m addrtype --dst-type LOCAL -j ${sep}`),
    fc.constantFrom(...seps).map((sep) => `-s 10.240.0.0/12 -j ${sep}`),
    fc.constantFrom(...seps).map((sep) => `-j ${sep}`),
    fc.constant("-j DROP"),
    // A jump to another service's chain: its walk then serves two services.
    fc.constantFrom(...dispatch).map((svc) => `-j ${svc}`),
  );
  const edit = fc.tuple(fc.constantFrom(...editable), fc.oneof(inserted, fc.constant(null)));

  it("give the model of unshared walks on service chains changed by hand", () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        const lines = [...base];
        // From the last line up, so that earlier indices stay valid.
        for (const [at, rule] of [...edits].sort((a, b) => b[0] - a[0])) {
          const chain = /^-A (\S+)/.exec(lines[at]!)![1]!;
          if (rule === null) lines.splice(at, 1);
          else lines.splice(at, 0, `-A ${chain} ${rule}`);
        }
        expectSameModel(lines.join("\n"));
      }),
      { numRuns: 150 },
    );
  });
});
