/**
 * An essay's text kept on the phone as well as on the server, so that nothing typed is lost when
 * the network is: written while the worker types, removed once the server has the same text.
 * Times are on the server's clock (the page passes its estimate), so they compare with
 * `draftSavedAt` whatever the phone's clock says.
 */
export interface LocalDraft {
  title: string;
  text: string;
  /** When it was written, server clock (ms). */
  savedAt: number;
}

const key = (entryId: string): string => `wcp.draft.${entryId}`;

export function saveLocalDraft(entryId: string, draft: LocalDraft): boolean {
  try {
    wx.setStorageSync(key(entryId), draft);
    return true;
  } catch {
    // A full device store: the server copy is all there is.
    return false;
  }
}

export function loadLocalDraft(entryId: string): LocalDraft | null {
  let v: unknown = null;
  try {
    v = wx.getStorageSync(key(entryId));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const d = v as Partial<LocalDraft>;
  if (typeof d.title !== 'string' || typeof d.text !== 'string' || typeof d.savedAt !== 'number') return null;
  return { title: d.title, text: d.text, savedAt: d.savedAt };
}

export function clearLocalDraft(entryId: string): void {
  try {
    wx.removeStorageSync(key(entryId));
  } catch {
    // Nothing to do: a stale copy is offered again and can be ignored.
  }
}
