/**
 * What changed while a page was hidden. A page that changes something the worker may already be
 * looking at elsewhere (a registration, an entry) bumps its topic; pages showing that topic note
 * the version when they load and reload in onShow when it moved. In memory: it lives as long as
 * the app, which is as long as the page stack.
 */
export type Topic = 'registrations' | 'entries' | 'opinions';

const versions: Record<Topic, number> = { registrations: 0, entries: 0, opinions: 0 };

export function bump(topic: Topic): void {
  versions[topic] += 1;
}

export function version(topic: Topic): number {
  return versions[topic];
}

// ---- back to where the worker was, once the profile is complete ---------------------------------

const RETURN_KEY = 'wcp.after-profile';

/** Remembers a page to reopen after the worker completes their profile on 我的 (a tab page). */
export function returnAfterProfile(url: string): void {
  try {
    wx.setStorageSync(RETURN_KEY, url);
  } catch {
    // Without storage the worker simply comes back by hand.
  }
}

/** The page to reopen, once; blank when there is none. */
export function takeReturnAfterProfile(): string {
  let url: unknown = '';
  try {
    url = wx.getStorageSync(RETURN_KEY);
    if (url) wx.removeStorageSync(RETURN_KEY);
  } catch {
    return '';
  }
  return typeof url === 'string' && url.startsWith('/pages/') ? url : '';
}
