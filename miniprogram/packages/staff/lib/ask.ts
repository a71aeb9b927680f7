/**
 * The text staff write in a modal before an action that someone else will read (a refusal's
 * reason, a reply, why an answer was hidden): the modal, the trim and the minimum in one place.
 */
export interface AskText {
  title: string;
  placeholder: string;
  confirmText: string;
  /** The text already there (editing a reply). */
  initial?: string;
  /** A red confirm button: the action refuses or hides something. */
  danger?: boolean;
  /** The fewest characters accepted, and what staff are told when they write fewer. */
  min: number;
  tooShort: string;
}

/** What staff wrote, trimmed; null when they cancelled or wrote too little (they are told why). */
export async function askText(o: AskText): Promise<string | null> {
  const res = await wx
    .showModal({
      title: o.title,
      content: o.initial ?? '',
      editable: true,
      placeholderText: o.placeholder,
      confirmText: o.confirmText,
      ...(o.danger ? { confirmColor: '#d54941' } : {}),
      cancelText: '取消',
    })
    .then((x) => x, () => null);
  if (!res?.confirm) return null;
  const text = String(res.content ?? '').trim();
  if ([...text].length < o.min) {
    wx.showToast({ title: o.tooShort, icon: 'none' });
    return null;
  }
  return text;
}
