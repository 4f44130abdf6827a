/**
 * The JavaScript share of a load: a file read through the record splitter and COPY encoder
 * (`CsvToCopy`) into a null sink, next to the same file only read. No database.
 *
 * Run: npx tsx bench/elt/split.ts FILE [FILE…]
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { CsvToCopy, readHeader, type CsvDialect } from '../../src/elt/csv-to-copy';

const dialect: CsvDialect = { encoding: 'utf8', delimiter: ';', quote: '"', maxRecordChars: 32 * 1024 * 1024 };

function nullSink(counter: { bytes: number }): Writable {
  return new Writable({
    write(chunk: Buffer | string, _e, callback) {
      counter.bytes += chunk.length;
      callback();
    },
  });
}

async function main(): Promise<void> {
  for (const file of process.argv.slice(2)) {
    const size = statSync(file).size;
    const readOnly = { bytes: 0 };
    let t = process.hrtime.bigint();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 18 }), nullSink(readOnly));
    const readSeconds = Number(process.hrtime.bigint() - t) / 1e9;

    const header = readHeader(file, readFileSync(file).subarray(0, 1 << 20), size <= 1 << 20, dialect);
    const splitter = new CsvToCopy(file, dialect, header.names);
    const out = { bytes: 0 };
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    t = process.hrtime.bigint();
    await pipeline(createReadStream(file, { highWaterMark: 1 << 18 }), splitter, nullSink(out));
    const splitSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    clearInterval(sampler);
    const rows = splitter.counts.records;
    console.log(
      `${path.basename(file)}: ${(size / 1e6).toFixed(0)} MB, ${rows} records; read only ${readSeconds.toFixed(2)} s; ` +
        `split + COPY encode ${splitSeconds.toFixed(2)} s = ${Math.round(rows / splitSeconds).toLocaleString('en-US')} rows/s, ` +
        `${(size / 1e6 / splitSeconds).toFixed(0)} MB/s in, ${(out.bytes / 1e6 / splitSeconds).toFixed(0)} MB/s out; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
