/**
 * 批量导入基层工会: a CSV (名称,分组,排序) chosen from a WeChat chat (wx.chooseMessageFile),
 * uploaded to `units-import/<timestamp>.csv`, checked by the server without writing anything
 * (`units.import` dryRun): the report counts the rows that can be imported and those refused, and
 * lists each refused row with its reason. Only a file with no refused row can be imported, after
 * staff confirm; then the same file is applied (dryRun false). CSV only, as the roster import
 * (an .xlsx is refused with a hint to save it as CSV UTF-8). First screen: the staff check only.
 */
import type { UnitImportReport, UnitImportRow } from '../../../core/units';
import { api } from '../../../services/client';
import { chooseCsv, uploadCsv } from '../lib/csv-file';
import { checkStaff, forgetStaff, type PageView } from '../lib/guard';

type Step = 'choose' | 'uploading' | 'checking' | 'report' | 'applying' | 'done';

/** Rows drawn at once; a big file is summarised, its problems first. */
const MAX_ROWS = 100;
/** As the server's UNIT_IMPORT_MAX_BYTES (1,000 units are far less). */
const MAX_BYTES = 256 * 1024;

const ACTION_TAG: Record<string, string> = { create: '新增', update: '更新', unchanged: '不变' };

interface RowVM {
  line: number;
  name: string;
  meta: string;
  tag: string;
  problem: string;
}

interface Private {
  fileID: string;
  report: UnitImportReport | null;
}

const priv = new WeakMap<object, Private>();

function rowVM(r: UnitImportRow): RowVM {
  const meta = r.problem ? `分组：${r.group || '（空）'}` : `${r.group} · 排序 ${r.order ?? ''}`;
  return { line: r.line, name: r.name || '（空）', meta, tag: r.action ? ACTION_TAG[r.action]! : '', problem: r.problem ?? '' };
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
    created: 0,
    updated: 0,
    changes: 0,
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
      const choice = await chooseCsv(MAX_BYTES, '文件太大：最多 256 KB（约 1000 个基层工会）');
      if (choice.kind === 'cancelled') return;
      if (choice.kind === 'refused') {
        this.setData({ fileName: choice.fileName, fileSize: choice.fileSize, fileError: choice.message, step: 'choose', rows: [] });
        return;
      }
      const p = priv.get(this)!;
      p.fileID = '';
      p.report = null;
      this.setData({ fileName: choice.file.fileName, fileSize: choice.file.fileSize, fileError: '', step: 'uploading', progress: 0, rows: [], done: '' });
      const up = await uploadCsv(choice.file, 'units-import', (progress) => this.setData({ progress }));
      if (!up.ok) {
        this.setData({ step: 'choose', fileError: `上传失败：${up.message}` });
        return;
      }
      p.fileID = up.data.fileID;
      this.setData({ step: 'checking', progress: 100 });
      await this.check();
    },

    /** The server reads the uploaded file and reports row by row, writing nothing. */
    async check(): Promise<void> {
      const p = priv.get(this)!;
      const r = await api('units.import', { fileID: p.fileID, dryRun: true });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        this.setData({ step: 'choose', fileError: r.message });
        return;
      }
      this.showReport(r.data);
    },

    showReport(report: UnitImportReport): void {
      const p = priv.get(this)!;
      p.report = report;
      const total = report.rows.length;
      const changes = report.created + report.updated;
      const summary =
        report.refused > 0
          ? `共 ${total} 行，其中 ${report.refused} 行有问题。没有导入任何内容：请在表格中改正标红的行，再重新选择文件（全部行无误才能导入）。`
          : changes === 0
            ? `共 ${total} 行，与现有的基层工会完全一致，无需导入。`
            : `共 ${total} 行，全部可以导入：新增 ${report.created} 个，更新 ${report.updated} 个${report.unchanged ? `，${report.unchanged} 个不变` : ''}。`;
      this.setData({
        step: 'report',
        summary,
        refused: report.refused,
        accepted: report.accepted,
        created: report.created,
        updated: report.updated,
        changes,
        onlyProblems: report.refused > 0,
        ...this.rowsData(report, report.refused > 0),
      });
    },

    rowsData(report: UnitImportReport, onlyProblems: boolean): { rows: RowVM[]; rowsNote: string } {
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
      if (this.data.step !== 'report' || !p.report || p.report.refused > 0 || !p.fileID || this.data.changes === 0) return;
      const sure = await wx
        .showModal({
          title: '确认导入基层工会',
          content: `将新增 ${p.report.created} 个、更新 ${p.report.updated} 个基层工会（不会删除任何工会）。`,
          confirmText: '确认导入',
          cancelText: '取消',
        })
        .then((x) => x.confirm, () => false);
      if (!sure) return;
      this.setData({ step: 'applying' });
      const r = await api('units.import', { fileID: p.fileID, dryRun: false });
      if (!r.ok) {
        if (r.code === 'FORBIDDEN') forgetStaff();
        this.setData({ step: 'report' });
        wx.showToast({ title: r.message, icon: 'none' });
        return;
      }
      if (!r.data.applied) {
        // Something changed since the check (a unit renamed): the new report says what.
        this.showReport(r.data);
        wx.showToast({ title: '文件有问题，未导入', icon: 'none' });
        return;
      }
      p.report = null;
      this.setData({ step: 'done', rows: [], done: `已导入：新增 ${r.data.created} 个，更新 ${r.data.updated} 个基层工会。` });
      wx.showToast({ title: '已导入', icon: 'success' });
    },

    back(): void {
      void wx.navigateBack({ delta: 1 });
    },
  },
});
