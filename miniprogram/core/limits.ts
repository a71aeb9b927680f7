/** Limits, defined once: the platform's (see wechat-platform-limits.md) and the product's. */
export const LIMITS = {
  /** Platform: a function's get() returns at most 1000 documents. */
  dbMaxPerGet: 1000,
  /** Platform: getTempFileURL / deleteFile take at most 50 file IDs a call. */
  filesPerCall: 50,
  /** Platform: msgSecCheck v2 checks at most 2500 characters at a time. */
  secCheckChunk: 2500,
  /** Platform: one setData ≤ 256 KB; our own budget for a first screen is 32 KB. */
  setDataBudgetBytes: 32 * 1024,
  /** Product: catalogue page size. */
  pageSize: 20,
  /** Product: the api call's own time budget on the client before it gives up (ms). */
  clientTimeoutMs: 15000,
  realNameMax: 20,
  enterpriseMax: 40,
  /** The event an app sends may not exceed this (bytes of JSON); bigger is refused before parsing. */
  maxEventBytes: 64 * 1024,
  /** Nesting deeper than this is refused before validation (no schema needs more). */
  maxEventDepth: 8,
} as const;

/** The privacy notice's version: bumping it asks every user to consent again. */
export const CONSENT_VERSION = '2026-11';
