/**
 * The first step of a staff import (会员名册, 基层工会): a CSV picked from a WeChat chat — where staff
 * receive such files — checked on the phone for its type and size, then uploaded to a path under
 * `folder/`. Only CSV: WeChat cannot read an .xlsx on the phone, and the server parses CSV only.
 */
import type { Result } from '../../../core/result';
import { upload } from '../../../services/client';

export interface ChosenCsv {
  path: string;
  fileName: string;
  /** For display: "12.3 KB". */
  fileSize: string;
}

export type CsvChoice =
  | { kind: 'cancelled' }
  /** Nothing to upload; `message` says why (and how to fix it). */
  | { kind: 'refused'; fileName: string; fileSize: string; message: string }
  | { kind: 'chosen'; file: ChosenCsv };

export function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round((bytes / 1024) * 10) / 10} KB`;
}

/** Opens the chat file picker for one CSV of at most `maxBytes` (`tooBig` is the refusal then). */
export async function chooseCsv(maxBytes: number, tooBig: string): Promise<CsvChoice> {
  let file: { path: string; name: string; size: number } | undefined;
  try {
    const res = await wx.chooseMessageFile({ count: 1, type: 'file', extension: ['csv'] });
    file = res.tempFiles[0];
  } catch (e) {
    const msg = String((e as { errMsg?: string } | null)?.errMsg ?? '');
    if (/cancel/i.test(msg)) return { kind: 'cancelled' };
    return { kind: 'refused', fileName: '', fileSize: '', message: '无法打开微信聊天文件，请重试' };
  }
  if (!file) return { kind: 'cancelled' };
  const shown = { fileName: file.name, fileSize: kb(file.size) };
  if (!/\.csv$/i.test(file.name)) {
    const message = /\.xlsx?$/i.test(file.name)
      ? '暂不支持 Excel 文件：请在 Excel 中“另存为 CSV UTF-8”后再选择'
      : '请选择 .csv 文件（在 Excel 中“另存为 CSV UTF-8”）';
    return { kind: 'refused', ...shown, message };
  }
  if (file.size > maxBytes) return { kind: 'refused', ...shown, message: tooBig };
  return { kind: 'chosen', file: { path: file.path, ...shown } };
}

/**
 * Uploads the chosen file to `<folder>/<timestamp>.csv`, reporting progress in steps of 10%: one
 * small setData each, not one per chunk.
 */
export async function uploadCsv(file: ChosenCsv, folder: string, onStep: (percent: number) => void): Promise<Result<{ fileID: string }>> {
  let shown = 0;
  return upload(file.path, `${folder}/${Date.now()}.csv`, (x) => {
    const step = Math.floor(x.progress / 10) * 10;
    if (step > shown) {
      shown = step;
      onStep(step);
    }
  });
}
