import type { Clock } from '../clock';
import type { OpenApi } from '../openapi';
import type { Runner } from '../runner/pool';
import type { FileStore } from '../storage/store';
import type { EngineLike } from '../types';

/** Fault injection set through /_control/faults. */
export interface Faults {
  /** the next `remaining` app uploads (POST /storage/upload) drop the connection after `afterBytes` */
  uploadDrop: { remaining: number; afterBytes: number } | null;
}

/** The pieces of a running local cloud the routes work with. */
export interface CloudParts {
  envId: string;
  appId: string;
  clock: Clock;
  engine: EngineLike;
  runner: Runner;
  store: FileStore;
  openapi: OpenApi;
  faults: Faults;
  startedAt: number;
  port: () => number;
  log: (line: string) => void;
}
