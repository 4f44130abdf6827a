/**
 * A buffered, backpressure-aware text file writer: lines accumulate in memory up to a chunk size,
 * then go to a write stream; `flush` waits for the stream to drain, so memory stays flat however
 * many rows are written.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/** Buffered line writer over one file. */
export class LineSink {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;
  private failure: Error | null = null;

  /** Opens `path` for writing (truncating it); `eol` ends every line. */
  constructor(path: string, private readonly eol: string, private readonly chunkChars = 1 << 17) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
    this.stream.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Appends one line (without its end-of-line). */
  line(text: string): void {
    this.parts.push(text, this.eol);
    this.size += text.length + 2;
  }

  /** Appends raw text. */
  raw(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Writes the buffer if it is large (or if `force`), waiting while the stream is saturated. */
  async flush(force = false): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.size === 0 || (!force && this.size < this.chunkChars)) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Writes what is left and closes the file. */
  async close(): Promise<void> {
    await this.flush(true);
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.failure) throw this.failure;
  }
}
