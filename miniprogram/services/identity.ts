/**
 * Who the app acts as in local mode. The local cloud takes the caller from the X-Local-Openid
 * header, so a developer can be a demo worker, judge or staff member without WeChat. In cloud mode
 * WeChat itself identifies the caller and nothing here applies.
 */
import { runtime } from '../config/runtime';
import type { DemoIdentity } from '../config/types';

const STORAGE_KEY = 'wcp.local-identity';

export function isLocalMode(): boolean {
  return runtime.mode === 'local';
}

export function demoIdentities(): DemoIdentity[] {
  return isLocalMode() ? runtime.identities : [];
}

/** The chosen demo identity; the first one until the developer picks another. */
export function currentIdentity(): DemoIdentity | null {
  if (!isLocalMode()) return null;
  let stored: unknown = '';
  try {
    stored = wx.getStorageSync(STORAGE_KEY);
  } catch {
    // Storage can fail on a full or corrupted device store; fall back to the default identity.
  }
  return runtime.identities.find((i) => i.openid === stored) ?? runtime.identities[0] ?? null;
}

export function chooseIdentity(openid: string): DemoIdentity | null {
  if (!isLocalMode()) return null;
  const found = runtime.identities.find((i) => i.openid === openid);
  if (!found) return null;
  wx.setStorageSync(STORAGE_KEY, found.openid);
  return found;
}
