import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { settings } from './config';

/**
 * An opaque key derived from the OPENID with a deployment secret: stable (so retries are
 * idempotent and a user's id needs no lookup), unlinkable to the OPENID without the secret.
 */
export function deriveKey(secret: string, purpose: string, openid: string): string {
  return createHmac('sha256', secret).update(`${purpose}\u0000${openid}`).digest('base64url').slice(0, 22);
}

export function opaqueKey(purpose: string, openid: string): string {
  return deriveKey(settings().idSecret, purpose, openid);
}

export function userKey(secret: string, openid: string): string {
  return `u_${deriveKey(secret, 'user', openid)}`;
}

export function userIdFor(openid: string): string {
  return userKey(settings().idSecret, openid);
}

/** A new account's UserDoc.idKey: random, so nothing derives it from the OPENID once it is gone. */
export function newIdKey(): string {
  return `k_${randomBytes(16).toString('base64url').slice(0, 22)}`;
}

/** A random id for documents the server creates (no meaning, no OPENID). */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** A short signature over `data` with the deployment secret (check-in codes, certificates). */
export function sign(purpose: string, data: string): string {
  return createHmac('sha256', settings().idSecret).update(`${purpose}\u0000${data}`).digest('base64url').slice(0, 16);
}

export function verifySigned(purpose: string, data: string, signature: string): boolean {
  const expected = sign(purpose, data);
  if (expected.length !== signature.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
}

/** A judge's seat on a track's panel. */
export const panelId = (activityId: string, trackId: string, userId: string): string => `pm_${activityId}_${trackId}_${userId}`;

/** By entry code, never the entry id (which is derived from the author's id): judges see this id. */
export const scoreId = (round: 1 | 2, entryCode: string, judgeId: string): string => `sc${round}_${entryCode}_${judgeId}`;

/** A track's judging state (assignment plans, 复评 finalists). */
export const judgingStateId = (activityId: string, trackId: string): string => `js_${activityId}_${trackId}`;

/**
 * A unit created by import: its id derives from its name (unit names are unique and public), so a
 * retried or concurrent import of the same file creates each unit once.
 */
export const unitIdFor = (name: string): string => `unit_${createHash('sha256').update(`unit\u0000${name}`).digest('base64url').slice(0, 16)}`;
