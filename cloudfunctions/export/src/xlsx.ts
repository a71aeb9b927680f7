/**
 * Renders the sheets of core/exports.ts as an .xlsx with exceljs' streaming writer: rows are
 * written as they are added, so a 5,000 × 7 results table stays within a small heap (the whole
 * workbook object model of the ordinary writer takes ~150 MB for it; the function has 256 MB).
 */
import { PassThrough } from 'stream';
import * as ExcelJS from 'exceljs';
import type { ColumnKind, Sheet, Workbook } from '../../../miniprogram/core/exports';

const NUM_FMT: Record<ColumnKind, string | undefined> = { text: '@', int: '0', score: '0.00', half: 'General' };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
const HIGHLIGHT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet): void {
  const ws = wb.addWorksheet(sheet.name, sheet.header ? { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] } : {});
  ws.columns = sheet.columns.map((c, i) => ({
    key: `c${i}`,
    width: c.width,
    style: sheet.header ? { numFmt: NUM_FMT[c.kind] } : { alignment: { wrapText: true, vertical: 'top' } },
  }));
  if (sheet.header) {
    const head = ws.addRow(sheet.columns.map((c) => c.header));
    head.font = { bold: true };
    head.alignment = { vertical: 'middle', wrapText: true };
    head.eachCell((cell) => {
      cell.fill = HEADER_FILL;
      cell.numFmt = '@';
    });
    head.commit();
    if (sheet.columns.length > 0) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  }
  const highlight = new Set(sheet.highlight ?? []);
  sheet.rows.forEach((values, i) => {
    const row = ws.addRow(values.map((v) => (v === null || v === '' ? undefined : v)));
    if (!sheet.header) row.getCell(1).font = { bold: true };
    if (highlight.has(i)) for (let c = 1; c <= sheet.columns.length; c++) row.getCell(c).fill = HIGHLIGHT_FILL;
    row.commit();
  });
  ws.commit();
}

/** The workbook's bytes. */
export async function renderXlsx(book: Workbook, meta: { title: string; creator: string; created: Date }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = meta.creator;
  wb.title = meta.title;
  wb.created = meta.created;
  for (const sheet of book.sheets) addSheet(wb, sheet);
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
