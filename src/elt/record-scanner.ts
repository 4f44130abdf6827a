/**
 * Splits decoded CSV text into physical records, respecting quotes (a quoted field may hold the
 * delimiter, `""` and line breaks), CRLF and LF line ends, and counting lines so that every record
 * knows the line it starts on. Pure: text in, records out; the caller decodes and writes.
 */
import { InputFileError } from '../core/errors';

/** A record as read: where it starts, its text without the line break, whether it holds a quote. */
export type RecordHandler = (line: number, record: string, quoted: boolean) => void;

const NONE = 0x7fffffff;
const CR = 13;

/** Options of {@link RecordScanner}. */
export interface RecordScannerOptions {
  /** File name, for messages. */
  file: string;
  quote: string;
  /** Largest record, in characters, before the file is refused. */
  maxRecordChars: number;
}

/**
 * Incremental record splitter. Feed it text with {@link push}, finish with {@link end}; it calls
 * the handler once per record. Quote state is a parity: every quote character toggles it, as in
 * Postgres's own CSV reader, so a record ends at the first line break outside quotes.
 */
export class RecordScanner {
  private buf = '';
  private pos = 0;
  private scan = 0;
  private inQuote = false;
  private quoted = false;
  private nextQuote = -1;
  private quoteLine = 0;
  /** Line on which the next record starts (1-based). */
  line = 1;
  /** Whether the last record read ended with a line break. */
  lastEndedWithBreak = true;

  constructor(private readonly options: RecordScannerOptions, private readonly onRecord: RecordHandler) {}

  /** Adds text; calls the handler for every record it completes. */
  push(text: string): void {
    if (text.length === 0) return;
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos) + text;
      this.scan -= this.pos;
      this.pos = 0;
    } else {
      this.buf = this.buf.length === 0 ? text : this.buf + text;
    }
    this.nextQuote = -1;
    this.drain();
    if (this.buf.length - this.pos > this.options.maxRecordChars) {
      throw new InputFileError(
        `${this.options.file} line ${this.line}: a record longer than ${this.options.maxRecordChars} characters` +
          (this.inQuote ? ` (the quote opened on line ${this.quoteLine} never closes)` : ''),
        { context: { file: this.options.file, line: this.line } },
      );
    }
  }

  /** Ends the input: the last record may lack a line break; an open quote is a truncated file. */
  end(): void {
    if (this.inQuote) {
      throw new InputFileError(
        `${this.options.file} line ${this.quoteLine}: unbalanced quote, the quoted field opened on line ${this.quoteLine} is never closed (truncated file?)`,
        { context: { file: this.options.file, line: this.quoteLine } },
      );
    }
    if (this.pos < this.buf.length) {
      this.lastEndedWithBreak = false;
      this.emit(this.buf.length);
    }
    this.buf = '';
    this.pos = this.scan = 0;
  }

  private drain(): void {
    const b = this.buf;
    const q = this.options.quote;
    let scan = this.scan;
    let nq = this.nextQuote;
    for (;;) {
      if (this.inQuote) {
        const c = b.indexOf(q, scan);
        if (c < 0) {
          scan = b.length;
          break;
        }
        this.inQuote = false;
        scan = c + 1;
        continue;
      }
      if (nq !== NONE && nq < scan) {
        nq = b.indexOf(q, scan);
        if (nq < 0) nq = NONE;
      }
      const nl = b.indexOf('\n', scan);
      if (nl >= 0 && nl < nq) {
        this.scan = nl + 1;
        this.emit(nl);
        scan = this.scan;
        continue;
      }
      if (nq === NONE) break;
      // A quote opens before the next line break (or at the end of what has been read so far).
      this.inQuote = true;
      this.quoted = true;
      this.quoteLine = this.line + countBreaks(b, this.pos, nq);
      scan = nq + 1;
      nq = -1;
    }
    this.scan = scan;
    this.nextQuote = nq;
  }

  /** Hands over the record [pos, end) and moves past its line break. */
  private emit(end: number): void {
    const b = this.buf;
    let stop = end;
    if (stop > this.pos && b.charCodeAt(stop - 1) === CR) stop--;
    const record = b.slice(this.pos, stop);
    const line = this.line;
    this.line += this.quoted ? 1 + countBreaks(record, 0, record.length) : 1;
    const quoted = this.quoted;
    this.quoted = false;
    this.pos = end + 1;
    this.scan = this.pos;
    this.onRecord(line, record, quoted);
  }
}

function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Splits a record that holds quotes into its fields: a quote toggles quoting, `""` inside quotes
 * is one quote, the delimiter separates fields only outside quotes.
 */
export function splitQuoted(record: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let current = '';
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (c === quote) {
      current += record.slice(start, i);
      if (inQuote && record[i + 1] === quote) {
        current += quote;
        i++;
      } else {
        inQuote = !inQuote;
      }
      start = i + 1;
    } else if (c === delimiter && !inQuote) {
      fields.push(current + record.slice(start, i));
      current = '';
      start = i + 1;
    }
  }
  fields.push(current + record.slice(start));
  return fields;
}
