/**
 * The flow every staff import page shares (会员名册, 基层工会): choose a CSV from a chat and upload it
 * (lib/csv-file), let the server check it without writing (dryRun) and show its row-by-row report
 * (refused rows first, at most MAX_ROWS drawn), then, once staff confirm, apply the same file. A file
 * with any refused row is never applied: the server answers the new report instead, and so it does
 * when something changed between the check and the import.
 */
import type { Result } from '../../../core/result';
import { chooseCsv, uploadCsv } from './csv-file';
import { forgetStaff } from './guard';

export type ImportStep = 'choose' | 'uploading' | 'checking' | 'report' | 'applying' | 'done';

/** What roster.import and units.import answer alike. */
export interface ImportReport<Row extends { problem?: string | null }> {
  rows: Row[];
  accepted: number;
  refused: number;
  /** False on a dry run, or when any row was refused: then nothing was written. */
  applied: boolean;
}

/** Rows drawn at once; a big file is summarised, its problems first. */
export const MAX_ROWS = 100;

export interface ImportPage {
  data: { step: ImportStep; onlyProblems: boolean };
  setData(patch: Record<string, unknown>): void;
}

export interface ImportConfig<Row extends { problem?: string | null }, R extends ImportReport<Row>, VM> {
  /** The server's import of an uploaded file: a check (dryRun) or the real thing. */
  run(fileID: string, dryRun: boolean): Promise<Result<R>>;
  /** Uploads go to <folder>/<timestamp>.csv. */
  folder: string;
  maxBytes: number;
  tooBig: string;
  rowVM(row: Row): VM;
  /** The report's summary, and any other fields the page shows with it. */
  reportData(report: R): { summary: string } & Record<string, unknown>;
  /** What the confirmation says, or null when there is nothing to apply. */
  confirm(report: R): { title: string; content: string } | null;
  /** Shown when the server found a problem at import time, so nothing was applied. */
  notApplied: string;
  done(report: R): { text: string; toast: string };
}

interface State {
  fileID: string;
  report: unknown;
}

const states = new WeakMap<ImportPage, State>();

function state(page: ImportPage): State {
  let s = states.get(page);
  if (!s) {
    s = { fileID: '', report: null };
    states.set(page, s);
  }
  return s;
}

function rowsData<Row extends { problem?: string | null }, R extends ImportReport<Row>, VM>(cfg: ImportConfig<Row, R, VM>, report: R, onlyProblems: boolean): { rows: VM[]; rowsNote: string } {
  const all = onlyProblems ? report.rows.filter((r) => r.problem) : report.rows;
  return {
    rows: all.slice(0, MAX_ROWS).map((r) => cfg.rowVM(r)),
    rowsNote: all.length > MAX_ROWS ? `只显示前 ${MAX_ROWS} 行（共 ${all.length} 行）` : '',
  };
}

function showReport<Row extends { problem?: string | null }, R extends ImportReport<Row>, VM>(page: ImportPage, cfg: ImportConfig<Row, R, VM>, report: R): void {
  state(page).report = report;
  const problems = report.refused > 0;
  page.setData({ step: 'report', refused: report.refused, accepted: report.accepted, onlyProblems: problems, ...cfg.reportData(report), ...rowsData(cfg, report, problems) });
}

/** Picks and uploads a file, then shows the server's dry-run report of it. */
export async function chooseFile<Row extends { problem?: string | null }, R extends ImportReport<Row>, VM>(page: ImportPage, cfg: ImportConfig<Row, R, VM>): Promise<void> {
  if (page.data.step === 'uploading' || page.data.step === 'checking' || page.data.step === 'applying') return;
  const choice = await chooseCsv(cfg.maxBytes, cfg.tooBig);
  if (choice.kind === 'cancelled') return;
  if (choice.kind === 'refused') {
    page.setData({ fileName: choice.fileName, fileSize: choice.fileSize, fileError: choice.message, step: 'choose', rows: [] });
    return;
  }
  const s = state(page);
  s.fileID = '';
  s.report = null;
  page.setData({ fileName: choice.file.fileName, fileSize: choice.file.fileSize, fileError: '', step: 'uploading', progress: 0, rows: [], done: '' });
  const up = await uploadCsv(choice.file, cfg.folder, (progress) => page.setData({ progress }));
  if (!up.ok) {
    page.setData({ step: 'choose', fileError: `上传失败：${up.message}` });
    return;
  }
  s.fileID = up.data.fileID;
  page.setData({ step: 'checking', progress: 100 });
  const r = await cfg.run(s.fileID, true);
  if (!r.ok) {
    if (r.code === 'FORBIDDEN') forgetStaff();
    page.setData({ step: 'choose', fileError: r.message });
    return;
  }
  showReport(page, cfg, r.data);
}

/** Every row, or only the refused ones. */
export function toggleRows<Row extends { problem?: string | null }, R extends ImportReport<Row>, VM>(page: ImportPage, cfg: ImportConfig<Row, R, VM>): void {
  const report = state(page).report as R | null;
  if (!report) return;
  const onlyProblems = !page.data.onlyProblems;
  page.setData({ onlyProblems, ...rowsData(cfg, report, onlyProblems) });
}

/** Applies the checked file after staff confirm. */
export async function applyFile<Row extends { problem?: string | null }, R extends ImportReport<Row>, VM>(page: ImportPage, cfg: ImportConfig<Row, R, VM>): Promise<void> {
  const s = state(page);
  const report = s.report as R | null;
  if (page.data.step !== 'report' || !report || report.refused > 0 || !s.fileID) return;
  const ask = cfg.confirm(report);
  if (!ask) return;
  const sure = await wx.showModal({ ...ask, confirmText: '确认导入', cancelText: '取消' }).then(
    (x) => x.confirm,
    () => false,
  );
  if (!sure) return;
  page.setData({ step: 'applying' });
  const r = await cfg.run(s.fileID, false);
  if (!r.ok) {
    if (r.code === 'FORBIDDEN') forgetStaff();
    page.setData({ step: 'report' });
    wx.showToast({ title: r.message, icon: 'none' });
    return;
  }
  const applied = r.data;
  if (!applied.applied) {
    showReport(page, cfg, applied);
    wx.showToast({ title: cfg.notApplied, icon: 'none' });
    return;
  }
  s.report = null;
  const done = cfg.done(applied);
  page.setData({ step: 'done', rows: [], done: done.text });
  wx.showToast({ title: done.toast, icon: 'success' });
}
