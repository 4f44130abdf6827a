/**
 * Structured logging to stderr, with personal data and secrets redacted before anything is written.
 * Phone numbers, passwords in connection strings and bearer tokens never reach a log line.
 */

/** Log severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A log sink; tasks receive one bound to their run and task. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): Logger;
}

const PHONE = /(?:\+|00)\d[\d .-]{7,16}\d|\b0[1-9](?:[ .-]?\d{2}){4}\b/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s]+@/gi;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key)("?\s*[:=]\s*"?)[^\s",}]+/gi;

/** Removes phone numbers and secrets from a text. */
export function redact(text: string): string {
  return text
    .replace(URL_PASSWORD, '$1***@')
    .replace(BEARER, '$1***')
    .replace(SECRET_KEY, '$1$2***')
    .replace(PHONE, '[phone]');
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. @defaultValue 'info' */
  level?: LogLevel;
  /** Where lines go. @defaultValue process.stderr */
  write?: (line: string) => void;
  /** Output as JSON lines rather than readable text. @defaultValue false */
  json?: boolean;
  /** Fields added to every line. */
  fields?: Record<string, unknown>;
}

/** Creates a logger that redacts every line it writes. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const base = options.fields ?? {};
  const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[level] < min) return;
    const all = { ...base, ...fields };
    let line: string;
    if (options.json) {
      line = JSON.stringify({ time: new Date().toISOString(), level, message, ...all }, errorReplacer);
    } else {
      const extra = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, errorReplacer)}`)
        .join(' ');
      line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${extra ? ' ' + extra : ''}`;
    }
    write(redact(line));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A logger that writes nothing. */
export const silentLogger: Logger = createLogger({ write: () => undefined });
