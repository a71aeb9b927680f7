/** Messages between the pool (main thread) and a function worker. */

export interface WorkerInit {
  functionName: string;
  /** absolute path of the function's index.js */
  entry: string;
  /** the repository's node_modules, where wx-server-sdk is resolved when the function has none */
  nodeModules: string;
  offsetMs: number;
}

export interface InvokeMessage {
  type: 'invoke';
  id: string;
  /** the event as JSON text (parsed inside the worker, so the function gets its own copy) */
  eventJson: string;
  /** per-invocation environment: WX_CONTEXT_KEYS, WX_OPENID, …, TCB_SOURCE */
  env: Record<string, string>;
  /** the clock offset to apply to Date inside the worker */
  offsetMs: number;
  context: Record<string, unknown>;
}

export interface ClockMessage {
  type: 'clock';
  offsetMs: number;
}

export type ToWorker = InvokeMessage | ClockMessage;

export interface SerializedError {
  name: string;
  message: string;
  stack: string;
}

export type FromWorker =
  | { type: 'done'; id: string; ok: true; json: string; loadMs: number | null }
  | { type: 'done'; id: string; ok: false; error: SerializedError; loadMs: number | null };

/** Environment keys that carry the caller; cleared before each invocation. */
export const IDENTITY_ENV_KEYS = [
  'WX_CONTEXT_KEYS',
  'WX_OPENID',
  'WX_APPID',
  'WX_UNIONID',
  'WX_CLIENTIP',
  'WX_CLIENTIPV6',
  'TCB_SOURCE',
] as const;
