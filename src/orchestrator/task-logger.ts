import { createLogger, type Logger } from '../core/log';
import type { RunStore } from './run-store';
import type { TaskKey } from './states';

/** A logger whose lines are kept for the task instance, plus how to store them. */
export interface TaskLogger {
  readonly log: Logger;
  /** Writes the buffered lines to the store. */
  flush(): Promise<void>;
}

/**
 * A task's logger: lines are redacted (by the core logger), echoed to the process logger's sink
 * when given, and buffered then stored in `orchestrator.task_logs` (flushed every second and at
 * the end of the try).
 */
export function createTaskLogger(store: RunStore, key: TaskKey, tryNumber: number, echo?: (line: string) => void): TaskLogger {
  let buffer: { tryNumber: number; level: string; line: string; at: Date }[] = [];
  let writing: Promise<void> = Promise.resolve();
  const log = createLogger({
    level: 'debug',
    write: (line) => {
      const level = /^\S+ (\w+)/.exec(line)?.[1]?.toLowerCase() ?? 'info';
      buffer.push({ tryNumber, level, line, at: new Date() });
      echo?.(line);
    },
    fields: {},
  });
  const flush = (): Promise<void> => {
    const lines = buffer;
    buffer = [];
    writing = writing.then(() => store.appendLogs(key, lines)).catch(() => undefined);
    return writing;
  };
  return { log, flush };
}
