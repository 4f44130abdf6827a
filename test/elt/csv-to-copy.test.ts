import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvToCopy, copyEscape, type CsvDialect } from '../../src/elt/csv-to-copy';
import { RecordScanner, splitQuoted } from '../../src/elt/record-scanner';

const dialect: CsvDialect = { encoding: 'utf8', delimiter: ';', quote: '"', maxRecordChars: 1 << 20 };
const HEADER = ['a', 'b', 'c'];

async function convert(chunks: Buffer[], header = HEADER, d = dialect): Promise<{ out: string; counts: CsvToCopy['counts'] }> {
  const t = new CsvToCopy('f.csv', d, header);
  Readable.from(chunks).pipe(t);
  let out = '';
  for await (const c of t) out += String(c);
  return { out, counts: t.counts };
}

const SAMPLE = Buffer.concat([
  Buffer.from([0xef, 0xbb, 0xbf]),
  Buffer.from('a;b;c\r\n1;Élodie;x\r\n2;"quoted; with ""quotes""\r\nand a line break";y\r\n\r\n3;tab\there;back\\slash\r\n4;short\r\n5;é;"end"', 'utf8'),
]);

describe('CsvToCopy', () => {
  test('turns records into COPY text rows with their first line, field count and, when needed, the verbatim record', async () => {
    const { out, counts } = await convert([SAMPLE]);
    expect(out.split('\n')).toEqual([
      '2\t3\t\\N\t1\tÉlodie\tx',
      '3\t3\t2;"quoted; with ""quotes""\\r\\nand a line break";y\t2\tquoted; with "quotes"\\r\\nand a line break\ty',
      '6\t3\t\\N\t3\ttab\\there\tback\\\\slash',
      '7\t2\t4;short\t4\tshort\t\\N',
      '8\t3\t5;é;"end"\t5\té\tend',
      '',
    ]);
    expect(counts).toEqual({ records: 5, wrongFieldCount: 1, lines: 8 });
  });

  test('gives the same rows whatever the chunk boundaries (inside quotes, CRLF pairs and multi-byte characters)', async () => {
    const { out: whole } = await convert([SAMPLE]);
    for (let cut = 1; cut < SAMPLE.length; cut++) {
      const { out } = await convert([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)]);
      expect(out).toBe(whole);
    }
    const bytes = [...SAMPLE].map((b) => Buffer.from([b]));
    expect((await convert(bytes)).out).toBe(whole);
  });

  test('decodes latin1 and windows-1252', async () => {
    const latin1 = iconv.encode('a;b;c\r\n1;Hélène;Noël\r\n', 'latin1');
    expect((await convert([latin1], HEADER, { ...dialect, encoding: 'latin1' })).out).toBe('2\t3\t\\N\t1\tHélène\tNoël\n');
    const cp1252 = iconv.encode('a;b;c\r\n1;Bœuf;20 €\r\n', 'windows-1252');
    expect((await convert([cp1252], HEADER, { ...dialect, encoding: 'windows1252' })).out).toBe('2\t3\t\\N\t1\tBœuf\t20 €\n');
  });
});

describe('RecordScanner and splitQuoted', () => {
  test('a record longer than the limit stops the file, naming where the quote opened', () => {
    const scanner = new RecordScanner({ file: 'f.csv', quote: '"', maxRecordChars: 10 }, () => undefined);
    scanner.push('a;b\n');
    expect(() => scanner.push('1;"never closed and long enough')).toThrow('f.csv line 2: a record longer than 10 characters (the quote opened on line 2 never closes)');
  });

  test('splitQuoted follows the quote parity like Postgres: quotes anywhere toggle, doubled quotes inside are literal', () => {
    expect(splitQuoted('"a;b";c', ';', '"')).toEqual(['a;b', 'c']);
    expect(splitQuoted('x"y;z"w;v', ';', '"')).toEqual(['xy;zw', 'v']);
    expect(splitQuoted('"say ""hi""";', ';', '"')).toEqual(['say "hi"', '']);
  });

  test('copyEscape escapes exactly what COPY text format needs', () => {
    expect(copyEscape('plain é')).toBe('plain é');
    expect(copyEscape('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyEscape('\\N')).toBe('\\\\N');
  });
});
