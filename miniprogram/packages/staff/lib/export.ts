/**
 * 导出 Excel, the part every staff page shares: the `export` function builds the workbook and
 * answers a temporary link; the phone downloads it (under a readable file name where it can) and
 * opens it with the menu on, so staff can forward it in a chat. Each step that can fail says what
 * failed in words staff can act on.
 */
import type { ExportAction, PayloadOf } from '../../../core/actions';
import type { ErrorCode } from '../../../core/errors';
import type { ExportFile } from '../../../core/exports';
import { api } from '../../../services/client';
import { forgetStaff } from './guard';

export type ExportStep = 'building' | 'downloading' | 'opening';

export type ExportOutcome = { ok: true; rows: number; name: string } | { ok: false; message: string; code?: ErrorCode };

/** Where the file is saved: the user data folder with its own name (what a forwarded file is called). */
function savePath(name: string): string | undefined {
  const dir = typeof wx !== 'undefined' ? (wx.env as { USER_DATA_PATH?: string } | undefined)?.USER_DATA_PATH : undefined;
  return dir ? `${dir}/${name}` : undefined;
}

function download(url: string, name: string): Promise<string | null> {
  return new Promise((resolve) => {
    const filePath = savePath(name);
    wx.downloadFile({
      url,
      ...(filePath ? { filePath } : {}),
      timeout: 60000,
      success: (res) => resolve(res.statusCode === 200 ? (res.filePath || res.tempFilePath || null) : null),
      fail: () => resolve(null),
    });
  });
}

function open(filePath: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.openDocument({
      filePath,
      fileType: 'xlsx',
      showMenu: true,
      success: () => resolve(true),
      fail: () => resolve(false),
    });
  });
}

/** Exports, downloads and opens a workbook; `onStep` follows the steps (for the loading text). */
export async function exportAndOpen<K extends ExportAction>(action: K, payload: PayloadOf<K>, onStep: (s: ExportStep) => void = () => undefined): Promise<ExportOutcome> {
  onStep('building');
  const r = await api(action, payload);
  if (!r.ok) {
    if (r.code === 'FORBIDDEN') forgetStaff();
    return { ok: false, message: r.message, code: r.code };
  }
  // Every export action answers an ExportFile (a generic K does not narrow ResultOf by itself).
  const file = r.data as ExportFile;
  onStep('downloading');
  const path = await download(file.url, file.name);
  if (!path) return { ok: false, message: '表格已生成，但下载失败，请检查网络后重试' };
  onStep('opening');
  if (!(await open(path))) return { ok: false, message: '表格已下载，但无法打开，请确认微信版本支持打开 Excel 文件' };
  return { ok: true, rows: file.rows, name: file.name };
}

export const STEP_TEXT: Record<ExportStep, string> = {
  building: '正在生成表格…',
  downloading: '正在下载…',
  opening: '正在打开…',
};
