/**
 * 会员名册导入: a CSV (姓名,手机号或工号,基层工会) chosen from a WeChat chat
 * (wx.chooseMessageFile), uploaded to `roster/<timestamp>.csv`, then checked by the server
 * without applying anything (`roster.import` dryRun): the report lists every row, the refused
 * ones highlighted with their problem. Only a file with no refused row can be imported, and only
 * after staff confirm; then the same file is applied (dryRun false), replacing the roster and
 * verifying registered workers it names. First screen: the staff check only.
 */
import type { RosterReport, RosterRow } from '../../../core/staff';
import { api } from '../../../services/client';
import { applyFile, chooseFile, toggleRows, type ImportConfig, type ImportStep } from '../lib/csv-import';
import { showGate, type PageView } from '../lib/guard';

interface RowVM {
  line: number;
  name: string;
  key: string;
  unit: string;
  problem: string;
}

function rowVM(r: RosterRow): RowVM {
  return { line: r.line, name: r.name || '（空）', key: r.key || '（空）', unit: r.unitName || '（空）', problem: r.problem ?? '' };
}

const ROSTER: ImportConfig<RosterRow, RosterReport, RowVM> = {
  run: (fileID, dryRun) => api('roster.import', { fileID, dryRun }),
  folder: 'roster',
  maxBytes: 5 * 1024 * 1024,
  tooBig: '文件太大：名册一次最多 5000 行',
  rowVM,
  reportData: (report) => ({
    summary:
      report.refused > 0
        ? `共 ${report.rows.length} 行，其中 ${report.refused} 行有问题。名册没有导入：请在表格中改正标红的行，再重新选择文件（全部行无误才能导入）。`
        : `共 ${report.rows.length} 行，全部可以导入。确认后将替换现有的会员名册。`,
  }),
  confirm: (report) => ({
    title: '确认导入会员名册',
    content: `将用这份名册（${report.accepted} 人）替换现有的会员名册，并核验名册中已注册职工的会员身份。`,
  }),
  // Something changed since the check (a unit renamed): the new report says what.
  notApplied: '名册有问题，未导入',
  done: (report) => ({ text: `已导入 ${report.accepted} 人。名册中已注册的职工有 ${report.verifiedUsers} 位通过了会员核验。`, toast: '名册已导入' }),
};

Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    step: 'choose' as ImportStep,
    fileName: '',
    fileSize: '',
    fileError: '',
    progress: 0,
    summary: '',
    refused: 0,
    accepted: 0,
    onlyProblems: true,
    rows: [] as RowVM[],
    rowsNote: '',
    done: '',
  },
  methods: {
    onLoad(): void {
      void this.load();
    },
    load(): Promise<void> {
      return showGate(this);
    },
    retry(): void {
      void this.load();
    },

    choose(): Promise<void> {
      return chooseFile(this, ROSTER);
    },
    toggleRows(): void {
      toggleRows(this, ROSTER);
    },
    apply(): Promise<void> {
      return applyFile(this, ROSTER);
    },
  },
});
