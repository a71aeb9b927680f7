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
import { applyFile, chooseFile, toggleRows, type ImportConfig, type ImportStep } from '../lib/csv-import';
import { showGate, type PageView } from '../lib/guard';

const ACTION_TAG: Record<string, string> = { create: '新增', update: '更新', unchanged: '不变' };

interface RowVM {
  line: number;
  name: string;
  meta: string;
  tag: string;
  problem: string;
}

function rowVM(r: UnitImportRow): RowVM {
  const meta = r.problem ? `分组：${r.group || '（空）'}` : `${r.group} · 排序 ${r.order ?? ''}`;
  return { line: r.line, name: r.name || '（空）', meta, tag: r.action ? ACTION_TAG[r.action]! : '', problem: r.problem ?? '' };
}

const UNITS: ImportConfig<UnitImportRow, UnitImportReport, RowVM> = {
  run: (fileID, dryRun) => api('units.import', { fileID, dryRun }),
  folder: 'units-import',
  // As the server's UNIT_IMPORT_MAX_BYTES (1,000 units are far less).
  maxBytes: 256 * 1024,
  tooBig: '文件太大：最多 256 KB（约 1000 个基层工会）',
  rowVM,
  reportData: (report) => {
    const total = report.rows.length;
    const changes = report.created + report.updated;
    const summary =
      report.refused > 0
        ? `共 ${total} 行，其中 ${report.refused} 行有问题。没有导入任何内容：请在表格中改正标红的行，再重新选择文件（全部行无误才能导入）。`
        : changes === 0
          ? `共 ${total} 行，与现有的基层工会完全一致，无需导入。`
          : `共 ${total} 行，全部可以导入：新增 ${report.created} 个，更新 ${report.updated} 个${report.unchanged ? `，${report.unchanged} 个不变` : ''}。`;
    return { summary, created: report.created, updated: report.updated, changes };
  },
  confirm: (report) =>
    report.created + report.updated === 0
      ? null
      : { title: '确认导入基层工会', content: `将新增 ${report.created} 个、更新 ${report.updated} 个基层工会（不会删除任何工会）。` },
  // Something changed since the check (a unit renamed): the new report says what.
  notApplied: '文件有问题，未导入',
  done: (report) => ({ text: `已导入：新增 ${report.created} 个，更新 ${report.updated} 个基层工会。`, toast: '已导入' }),
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
      void this.load();
    },
    load(): Promise<void> {
      return showGate(this);
    },
    retry(): void {
      void this.load();
    },

    choose(): Promise<void> {
      return chooseFile(this, UNITS);
    },
    toggleRows(): void {
      toggleRows(this, UNITS);
    },
    apply(): Promise<void> {
      return applyFile(this, UNITS);
    },

    back(): void {
      void wx.navigateBack({ delta: 1 });
    },
  },
});
