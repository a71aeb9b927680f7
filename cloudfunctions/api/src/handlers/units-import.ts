/**
 * 基层工会 import (`units.import`): a CSV uploaded from a chat, judged row by row by the pure rules
 * in core/units.ts. One refused row and nothing is written; a dry run writes nothing either. Units
 * of the same name are updated in place, new ones get an id derived from their name, none is
 * deleted. The writes are upserts by id, so should the function stop half-way, importing the same
 * file again completes it (and a second import of a done file writes nothing).
 */
import { COLLECTIONS, err, ok, parseCsv, planUnitImport, csvTextProblem, LIMITS, UNIT_IMPORT_MAX_BYTES, type UnitDoc } from '../../../../miniprogram/core';
import { collection, download, list, setDoc } from '../../../shared/cloud';
import { unitIdFor } from '../../../shared/ids';
import { audit } from '../../../shared/audit';
import type { Handler } from '../../../shared/router';

/** Writes at a time: a district has tens of units, a big import a few hundred. */
const PARALLEL = 10;

export const importUnits: Handler<'units.import'> = async (ctx, p) => {
  let bytes: Buffer;
  try {
    bytes = await download(p.fileID);
  } catch {
    return err('FILE_REJECTED', '读取文件失败，请重新选择文件上传', 'payload.fileID');
  }
  if (bytes.length > UNIT_IMPORT_MAX_BYTES) return err('FILE_REJECTED', `文件太大：最多 ${UNIT_IMPORT_MAX_BYTES / 1024} KB`, 'payload.fileID');
  const text = bytes.toString('utf8');
  const bad = csvTextProblem(text);
  if (bad) return err('FILE_REJECTED', bad, 'payload.fileID');
  const existing = await list<UnitDoc & Record<string, unknown>>(collection(COLLECTIONS.units).limit(LIMITS.dbMaxPerGet));
  const plan = planUnitImport(
    parseCsv(text),
    existing.map((u) => ({ id: u._id, name: u.name, group: u.group, order: u.order })),
  );
  if (!plan.ok) return err('FILE_REJECTED', plan.problem, 'payload.fileID');
  if (plan.report.refused > 0 || p.dryRun) return ok(plan.report);
  for (let i = 0; i < plan.writes.length; i += PARALLEL) {
    await Promise.all(
      plan.writes.slice(i, i + PARALLEL).map((w) => setDoc(COLLECTIONS.units, w.id ?? unitIdFor(w.name), { name: w.name, group: w.group, order: w.order })),
    );
  }
  const { created, updated, unchanged } = plan.report;
  await audit(ctx, 'units.import', 'units', { rows: plan.report.rows.length, created, updated, unchanged });
  return ok({ ...plan.report, applied: true });
};
