// Types for scripts/oracle.mjs, so TypeScript tests can share its namespace helpers.
import type { SpawnSyncReturns } from "node:child_process";

/** null when the oracle can run; otherwise why not ("not root", "ip not found", ...). */
export function oracleAvailable(): string | null;
/** Why an oracle test cannot run, or null; prints the skip banner. `extra`: a further missing piece. */
export function oracleOrSkip(name: string, extra?: string | null): string | null;
/** Split a dump into { tableName: text } without comment or blank lines. */
export function tablesOf(text: string): Record<string, string>;
/** Run fn(ns) in a fresh namespace `<prefix>-<pid>-<counter>`; always deletes it. */
export function withNamespace<T>(fn: (ns: string) => T, prefix?: string): T;
/** Run argv inside namespace ns. */
export function inNamespace(ns: string, argv: readonly string[], input?: string): SpawnSyncReturns<string>;
/** Load text with `<tool>-restore` in a fresh namespace: what `<tool>-save` prints then, or the tool's error. */
export function restoreWith(tool: "iptables" | "iptables-legacy" | "ip6tables" | "ip6tables-legacy", text: string, prefix?: string): { ok: boolean; saved: string; error: string };
/** Whether iptables-legacy-restore is installed. */
export function legacyAvailable(): boolean;
/** Create the nfacct objects and ipsets `text` uses, inside ns; why not, or null. */
export function createKernelObjects(ns: string, text: string, v6?: boolean): string | null;
export function kernelSaveWithObjects(input: string, v6?: boolean): { kernel: KernelSave; missing: string | null };
export type KernelSave = { ok: true; saved: string } | { ok: false; error: string };
export function kernelSave(
  input: string,
  v6?: boolean,
  counters?: boolean,
  setup?: (ns: string) => void,
  saveCounters?: boolean,
): KernelSave;
export type KernelTest = { ok: true } | { ok: false; error: string; line: number | null };
export function kernelTest(input: string, v6?: boolean, setup?: (ns: string) => void): KernelTest;
export function kiptFormat(text: string, file: string): Promise<{ text: string; diagnostics: unknown[] }>;
export function compareFile(file: string): Promise<{ file: string; ok: boolean; reason: string }>;
