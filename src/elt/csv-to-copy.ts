/**
 * The CSV side of a load: decode the bytes, read and check the header, and turn every data record
 * into one row of COPY's text format, `line_no, nfields, raw, f1 … fK`, for a staging table of
 * text columns. Validation happens in SQL afterwards; this stream only detects faults that make the
 * whole file unreadable (undecodable bytes, unbalanced quote at the end, truncated last record).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import iconv from 'iconv-lite';
import { InputFileError } from '../core/errors';
import { RecordScanner, splitQuoted } from './record-scanner';

/** Encodings a CSV source may declare. */
export type CsvEncoding = 'utf8' | 'latin1' | 'windows1252';

/** How a CSV file is written. */
export interface CsvDialect {
  encoding: CsvEncoding;
  delimiter: string;
  quote: string;
  maxRecordChars: number;
}

interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string;
}

/** A streaming decoder for `encoding`; a leading UTF-8 byte-order mark is the caller's to drop. */
export function createDecoder(encoding: CsvEncoding): TextDecoderLike {
  if (encoding === 'utf8') {
    const d = new StringDecoder('utf8');
    return { write: (b) => d.write(b), end: () => d.end() };
  }
  if (encoding === 'latin1') return { write: (b) => b.toString('latin1'), end: () => '' };
  const d = iconv.getDecoder('windows-1252');
  return { write: (b) => d.write(b), end: () => d.end() ?? '' };
}

const BOM = '\uFEFF';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Strips a UTF-8 byte-order mark from the start of raw bytes (any declared encoding). */
export function stripBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
}

/** Throws when a record holds a character that cannot come from a well-encoded text file. */
export function checkDecodable(file: string, line: number, record: string, dialect: CsvDialect, header: readonly string[] | undefined): void {
  let at = record.indexOf('\uFFFD');
  const what = at >= 0 ? 'bytes that are not valid ' + dialect.encoding : 'a NUL byte';
  if (at < 0) at = record.indexOf('\0');
  if (at < 0) return;
  const column = splitQuoted(record.slice(0, at + 1), dialect.delimiter, dialect.quote).length - 1;
  const name = header?.[column];
  throw new InputFileError(
    `${file} line ${line}, column ${column + 1}${name ? ` (${name})` : ''}, character ${at + 1}: ${what}`,
    { context: { file, line, field: name ?? String(column + 1) } },
  );
}

/** The header of a file, as read from its first bytes. */
export interface CsvHeader {
  /** Column names, trimmed, in file order. */
  names: string[];
  /** The header record verbatim. */
  record: string;
}

/**
 * Reads the header record from the first bytes of a file. Throws an {@link InputFileError} when the
 * file is empty or its first record never ends within `sample` (which is the whole file if short).
 */
export function readHeader(file: string, sample: Buffer, complete: boolean, dialect: CsvDialect): CsvHeader {
  const decoder = createDecoder(dialect.encoding);
  let header: CsvHeader | undefined;
  const scanner = new RecordScanner({ file, quote: dialect.quote, maxRecordChars: dialect.maxRecordChars }, (_line, record, quoted) => {
    if (header) return;
    const names = (quoted ? splitQuoted(record, dialect.delimiter, dialect.quote) : record.split(dialect.delimiter)).map((n) => n.trim());
    header = { names, record };
  });
  let text = decoder.write(stripBom(sample));
  if (complete) text += decoder.end();
  try {
    scanner.push(text);
    if (complete && !header) scanner.end();
  } catch (error) {
    if (!header) throw error;
  }
  if (!header || (header.names.length === 1 && header.names[0] === '')) {
    throw new InputFileError(`${file} line 1: empty file, no header`, { context: { file, line: 1 } });
  }
  checkDecodable(file, 1, header.record, dialect, header.names);
  return header;
}

/** Counters of a {@link CsvToCopy} stream, final once it has ended. */
export interface CsvCounts {
  /** Data records read (blank lines are not records). */
  records: number;
  /** Records whose field count differs from the header's. */
  wrongFieldCount: number;
  /** Physical lines read, header included. */
  lines: number;
}

/**
 * Transform: file bytes in, COPY text rows out (`line_no \t nfields \t raw \t f1 … fK \n`). `raw`
 * is `\N` when the record can be rebuilt exactly by joining its fields with the delimiter, so only
 * quoted and malformed records carry their text twice.
 */
export class CsvToCopy extends Transform {
  readonly counts: CsvCounts = { records: 0, wrongFieldCount: 0, lines: 0 };
  private readonly decoder: TextDecoderLike;
  private readonly scanner: RecordScanner;
  private readonly width: number;
  private readonly pad: string[];
  private out: string[] = [];
  private started = false;
  private lastFields = 0;
  private lastLine = 0;
  private firstWrong: { line: number; fields: number } | undefined;

  constructor(private readonly file: string, private readonly dialect: CsvDialect, private readonly header: readonly string[]) {
    super();
    this.decoder = createDecoder(dialect.encoding);
    this.width = header.length;
    this.pad = Array.from({ length: this.width + 1 }, (_, i) => '\t\\N'.repeat(i));
    this.scanner = new RecordScanner({ file, quote: dialect.quote, maxRecordChars: dialect.maxRecordChars }, (line, record, quoted) => this.onRecord(line, record, quoted));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      let bytes = chunk;
      if (!this.started) {
        bytes = stripBom(chunk);
        this.started = true;
      }
      let text = this.decoder.write(bytes);
      if (text.charCodeAt(0) === 0xfeff && this.scanner.line === 1) text = text.slice(BOM.length);
      this.scanner.push(text);
      this.flushOut();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.scanner.push(this.decoder.end());
      this.scanner.end();
      this.counts.lines = this.scanner.line - 1;
      if (!this.scanner.lastEndedWithBreak && this.lastFields < this.width && this.counts.records > 0) {
        throw new InputFileError(
          `${this.file} line ${this.lastLine}: truncated file, the last record ends without a line break and has ${this.lastFields} of ${this.width} fields`,
          { context: { file: this.file, line: this.lastLine, field: this.header[this.lastFields] } },
        );
      }
      const { records, wrongFieldCount } = this.counts;
      if (records >= 20 && wrongFieldCount > records / 2 && this.firstWrong) {
        const { line, fields } = this.firstWrong;
        throw new InputFileError(
          `${this.file} line ${line}: ${wrongFieldCount} of ${records} records do not have the header's ${this.width} fields, the first has ${fields} (wrong delimiter or shifted columns?)`,
          { context: { file: this.file, line } },
        );
      }
      this.flushOut();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private flushOut(): void {
    if (this.out.length === 0) return;
    this.push(this.out.join(''));
    this.out = [];
  }

  private onRecord(line: number, record: string, quoted: boolean): void {
    if (line === 1) return; // the header, read and checked before the load
    if (record.length === 0) return; // a blank line holds no row
    const { delimiter, quote } = this.dialect;
    const fields = quoted ? splitQuoted(record, delimiter, quote) : record.split(delimiter);
    if (record.indexOf('\uFFFD') >= 0 || record.indexOf('\0') >= 0) checkDecodable(this.file, line, record, this.dialect, this.header);
    const n = fields.length;
    this.counts.records++;
    this.lastFields = n;
    this.lastLine = line;
    if (n !== this.width) {
      this.counts.wrongFieldCount++;
      this.firstWrong ??= { line, fields: n };
    }
    const escape = quoted || /[\\\t\r]/.test(record);
    const raw = quoted || n !== this.width ? copyEscape(record) : '\\N';
    const kept = n > this.width ? fields.slice(0, this.width) : fields;
    const body = escape ? kept.map(copyEscape).join('\t') : kept.join('\t');
    this.out.push(`${line}\t${n}\t${raw}\t${body}${this.pad[this.width - kept.length]}\n`);
  }
}

/** Escapes a value for COPY's text format. */
export function copyEscape(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
