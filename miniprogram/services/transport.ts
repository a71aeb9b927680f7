/**
 * The seam between the client and whatever carries its calls (WeChat cloud, local HTTP, a test's
 * fake). Types only, with no wx in them, so tests can implement a transport without the app's
 * WeChat typings.
 */
import type { ActionName } from '../core/actions';
import type { ErrorCode } from '../core/errors';

export type FailureCode = Extract<ErrorCode, 'NETWORK' | 'TIMEOUT' | 'INTERNAL'>;

/** What came back from the other side: the body it answered, or why nothing usable arrived. */
export type Delivery =
  | { delivered: true; body: unknown; status?: number }
  | { delivered: false; code: FailureCode; detail: string };

export interface UploadProgress {
  /** 0–100 */
  progress: number;
  sent: number;
  total: number;
}

export interface UploadRequest {
  localPath: string;
  cloudPath: string;
  timeoutMs: number;
  onProgress: (p: UploadProgress) => void;
}

export interface Transport {
  readonly kind: string;
  /** Must settle within about `timeoutMs` and never reject. */
  call(action: ActionName, payload: object, timeoutMs: number): Promise<Delivery>;
  /** Answers `{ fileID }` as its body when the file is stored. */
  upload(req: UploadRequest): Promise<Delivery>;
}

