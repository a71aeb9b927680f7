import { createHmac, randomBytes } from 'crypto';
import { settings } from './config';

/** An opaque key derived from the OPENID: stable (retries are idempotent), unlinkable without the secret. */
export function opaqueKey(purpose: string, openid: string): string {
  return createHmac('sha256', settings().idSecret).update(`${purpose}\u0000${openid}`).digest('base64url').slice(0, 22);
}

export function userIdFor(openid: string): string {
  return `u_${opaqueKey('user', openid)}`;
}

/** A random id for documents the server creates (no meaning, no OPENID). */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
