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
  /** Product: an Excel export's budget on the client: the `export` function's 60 s timeout and a little more. */
  exportTimeoutMs: 65000,
  realNameMax: 20,
  enterpriseMax: 40,
  /** Product: images in one announcement, and the size of each (after the phone re-encodes it). */
  announcementImagesMax: 9,
  announcementImageMaxBytes: 5 * 1024 * 1024,
  /** The event an app sends may not exceed this (bytes of JSON); bigger is refused before parsing. */
  maxEventBytes: 64 * 1024,
  /** Nesting deeper than this is refused before validation (no schema needs more). */
  maxEventDepth: 8,
  /** 意见征集: questions in a survey, options in a choice question, characters of a text answer. */
  opinionQuestionsMax: 10,
  opinionOptionsMax: 10,
  opinionTextMax: 500,
  /** An open call's one free-text answer. */
  opinionOpenTextMax: 1000,
  /** A solicitation is open at most this many days, and closes at most this long after its activity ends. */
  opinionWindowMaxDays: 90,
  opinionAfterActivityDays: 30,
} as const;

/** The privacy notice's version: bumping it asks every user to consent again. */
export const CONSENT_VERSION = '2026-11';
