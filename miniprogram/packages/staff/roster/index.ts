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
import { chooseCsv, uploadCsv } from '../lib/csv-file';
import { checkStaff, forgetStaff, type PageView } from '../lib/guard';

type Step = 'choose' | 'uploading' | 'checking' | 'report' | 'applying' | 'done';

/** Rows drawn at once; a 5,000-row roster is summarised, its problems first. */
const MAX_ROWS = 100;
const MAX_BYTES = 5 * 1024 * 1024;

interface RowVM {
  line: number;
  name: string;
  key: string;
  unit: string;
  problem: string;
}

interface Private {
  fileID: string;
  report: RosterReport | null;
}

const priv = new WeakMap<object, Private>();

function rowVM(r: RosterRow): RowVM {
  return { line: r.line, name: r.name || '（空）', key: r.key || '（空）', unit: r.unitName || '（空）', problem: r.problem ?? '' };
}


Component({
  data: {
    view: 'loading' as PageView,
    errorText: '',
    step: 'choose' as Step,
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
      priv.set(this, { fileID: '', report: null });
      void this.load();
    },
    async load(): Promise<void> {
      if (this.data.view !== 'loading') this.setData({ view: 'loading' });
      const gate = await checkStaff();
      if (gate.kind === 'error') this.setData({ view: 'error', errorText: gate.message });
      else this.setData({ view: gate.kind === 'refused' ? 'refused' : 'ready' });
    },
    retry(): void {
      void this.load();
    },

    async choose(): Promise<void> {
      const busy: Step[] = ['uploading', 'checking', 'applying'];
      if (busy.includes(this.data.step)) return;
      const choice = await chooseCsv(MAX_BYTES, '文件太大：名册一次最多 5000 行');
      if (choice.kind === 'cancelled') return;
      if (choice.kind === 'refused') {
        this.setData({ fileName: choice.fileName, fileSize: choice.fileSize, fileError: choice.message, step: 'choose' });
        return;
      }
      const p = priv.get(this)!;
      p.fileID = '';
      p.report = null;
      this.setData({ fileName: choice.file.fileName, fileSize: choice.file.fileSize, fileError: '', step: 'uploading', progress: 0, rows: [], done: '' });
      const up = await uploadCsv(choice.file, 'roster', (progress) => this.setData({ progress }));
      if (!up.ok) {
        this.setData({ step: 'choose', fileError: `上传失败：${up.message}` });
        return;
      }
      p.fileID = up.data.fileID;
      this.setData({ step: 'checking', progress: 100 });
      await this.check();
    },

    /** The server reads the uploaded file and reports row by row, applying nothing. */
    async check(): Promise<void> {
      const p = priv.get(this)!;
      const r = await api('roster.import', { fileID: p.fileID, dryRun: true });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        this.setData({ step: 'choose', fileError: r.message });
        return;
      }
      this.showReport(r.data);
    },

    showReport(report: RosterReport): void {
      const p = priv.get(this)!;
      p.report = report;
      const total = report.rows.length;
      const summary =
        report.refused > 0
          ? `共 ${total} 行，其中 ${report.refused} 行有问题。名册没有导入：请在表格中改正标红的行，再重新选择文件（全部行无误才能导入）。`
          : `共 ${total} 行，全部可以导入。确认后将替换现有的会员名册。`;
      this.setData({ step: 'report', summary, refused: report.refused, accepted: report.accepted, onlyProblems: report.refused > 0, ...this.rowsData(report, report.refused > 0) });
    },

    rowsData(report: RosterReport, onlyProblems: boolean): { rows: RowVM[]; rowsNote: string } {
      const all = onlyProblems ? report.rows.filter((r) => r.problem) : report.rows;
      const rows = all.slice(0, MAX_ROWS).map(rowVM);
      return { rows, rowsNote: all.length > MAX_ROWS ? `只显示前 ${MAX_ROWS} 行（共 ${all.length} 行）` : '' };
    },
    toggleRows(): void {
      const report = priv.get(this)?.report;
      if (!report) return;
      const onlyProblems = !this.data.onlyProblems;
      this.setData({ onlyProblems, ...this.rowsData(report, onlyProblems) });
    },

    async apply(): Promise<void> {
      const p = priv.get(this)!;
      if (this.data.step !== 'report' || !p.report || p.report.refused > 0 || !p.fileID) return;
      const sure = await wx
        .showModal({
          title: '确认导入会员名册',
          content: `将用这份名册（${p.report.accepted} 人）替换现有的会员名册，并核验名册中已注册职工的会员身份。`,
          confirmText: '确认导入',
          cancelText: '取消',
        })
        .then((x) => x.confirm, () => false);
      if (!sure) return;
      this.setData({ step: 'applying' });
      const r = await api('roster.import', { fileID: p.fileID, dryRun: false });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        this.setData({ step: 'report' });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      if (!r.data.applied) {
        // Something changed since the check (a unit renamed): the new report says what.
        this.showReport(r.data);
        wx.showToast({ title: '名册有问题，未导入', icon: 'none' });
        return;
      }
      p.report = null;
      this.setData({
        step: 'done',
        rows: [],
        done: `已导入 ${r.data.accepted} 人。名册中已注册的职工有 ${r.data.verifiedUsers} 位通过了会员核验。`,
      });
      wx.showToast({ title: '名册已导入', icon: 'success' });
    },
  },
});
