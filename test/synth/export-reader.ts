/**
 * A small, independent reader of synthetic exports for the tests: quote-aware CSV splitting and
 * parsers for the messy dates and amounts, written from the data contract rather than from the
 * generator's code.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temporary folder, removed after the enclosing describe block. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `relance-synth-${label}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Splits one CSV line on `;`, honouring `"` quoting; null if a quote is left open. */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

/** The raw text of a file. */
export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Data lines of a CRLF file (header excluded, BOM stripped, no trailing empty line). */
export function dataLines(path: string): { header: string; lines: string[] } {
  const text = readText(path).replace(/^\uFEFF/, '');
  const all = text.split('\r\n');
  if (all[all.length - 1] === '') all.pop();
  return { header: all[0] ?? '', lines: all.slice(1) };
}

/** Rows of a file as objects keyed by header, skipping rows whose field count is wrong. */
export function readRows(path: string): Record<string, string>[] {
  const { header, lines } = dataLines(path);
  const columns = header.split(';');
  const rows: Record<string, string>[] = [];
  for (const line of lines) {
    const fields = splitCsvLine(line);
    if (!fields || fields.length !== columns.length) continue;
    rows.push(Object.fromEntries(columns.map((c, i) => [c, fields[i] as string])));
  }
  return rows;
}

/** Parses `24/11/2026`, `2026-11-24`, `24-11-2026` (time part ignored); null if not a real date. */
export function parseDate(text: string): Date | null {
  const day = text.split(' ')[0] ?? '';
  let m = /^(\d{2})[/-](\d{2})[/-](\d{4})$/.exec(day);
  let y: number, mo: number, d: number;
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? date : null;
}

/** Parses `1234,56`, `1 234,56`, `1234.56`; null if not a number. */
export function parseAmount(text: string): number | null {
  if (!/^-?\d{1,3}( ?\d{3})*([.,]\d{2})?$/.test(text)) return null;
  return Number(text.replace(/ /g, '').replace(',', '.'));
}

/** Reads the ground truth: id → p and expected amount. */
export function readTruth(truthDir: string): Map<string, { office: string; p: number; amount: number }> {
  const lines = readText(join(truthDir, 'ground_truth.csv')).trim().split('\n');
  const truth = new Map<string, { office: string; p: number; amount: number }>();
  for (const line of lines.slice(1)) {
    const [id, office, p, amount] = line.split(';');
    truth.set(id as string, { office: office as string, p: Number(p), amount: Number(amount) });
  }
  return truth;
}

/** Rank AUC of scores against 0/1 outcomes (ties count half). */
export function auc(scores: number[], outcomes: number[]): number {
  const order = scores.map((s, i) => [s, outcomes[i] as number] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (order[k]![1] === 1) {
      rankSum += rank;
      positives++;
    }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
