/**
 * SCTP chunk types as the sctp match reads `--chunk-types` (libxt_sctp.c):
 * names (any case) with their type numbers, and the flag letters each
 * chunk type has (upper case: must be set, lower case: must be clear). The
 * printer orders chunks by number; the parser's checks refuse what the
 * tool refuses ("Unknown sctp chunk", "Invalid flags for chunk type").
 */
export const SCTP_CHUNKS: Readonly<Record<string, number>> = {
  DATA: 0, INIT: 1, INIT_ACK: 2, SACK: 3, HEARTBEAT: 4, HEARTBEAT_ACK: 5, ABORT: 6, SHUTDOWN: 7,
  SHUTDOWN_ACK: 8, ERROR: 9, COOKIE_ECHO: 10, COOKIE_ACK: 11, ECN_ECNE: 12, ECN_CWR: 13,
  SHUTDOWN_COMPLETE: 14, I_DATA: 64, ASCONF_ACK: 128, RE_CONFIG: 130, PAD: 132, FORWARD_TSN: 192,
  ASCONF: 193, I_FORWARD_TSN: 194,
};

/** Flag letters per chunk, in print order (highest bit first). */
export const SCTP_FLAGS: Readonly<Record<string, string>> = { DATA: "IUBE", ABORT: "T", SHUTDOWN_COMPLETE: "T" };

/** What is wrong with a `CHUNK[:FLAGS],...` list (or `ALL`/`NONE`), in the tool's words; null when nothing is. */
export function sctpChunkProblem(list: string): string | null {
  const upper = list.toUpperCase();
  if (upper === "ALL" || upper === "NONE") return null;
  for (const item of list.split(",")) {
    const [name = "", flags = ""] = item.split(":");
    const key = name.toUpperCase();
    if (!Object.prototype.hasOwnProperty.call(SCTP_CHUNKS, key)) return `'${name}' is not an SCTP chunk type ("Unknown sctp chunk")`;
    const allowed = SCTP_FLAGS[key] ?? "";
    for (const f of flags) {
      if (!allowed.includes(f.toUpperCase())) return `'${f}' is not a flag of chunk ${key}${allowed ? ` (${allowed})` : " (it has none)"} ("Invalid flags for chunk type ${SCTP_CHUNKS[key]}")`;
    }
  }
  return null;
}
