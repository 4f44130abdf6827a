/**
 * The lock file of a shared embedded data directory (kept in its run directory, `<runDir>.run/`): which process holds the PGlite files and
 * where it serves them (a unix socket, or a 127.0.0.1 port when the socket path would be too long).
 * Created atomically; a lock whose process is dead is taken over.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the holder serves the database. */
export type EmbeddedAddress = { readonly socketDir: string; readonly port: number } | { readonly host: string; readonly port: number };

/** The content of the lock file. */
export interface EmbeddedHolder {
  readonly pid: number;
  /** The command line of the holder (`relance serve --port 8080`), for messages. */
  readonly command: string;
  /** Whether the holder runs until stopped (serve, scheduler, worker) rather than one command. */
  readonly longLived: boolean;
  /** Absent while the holder is still opening the database. */
  readonly address?: EmbeddedAddress;
}

/** Name of the lock file inside the data directory. */
export const LOCK_FILE = 'relance-holder.json';

/** The lock file's path for `runDir`. */
export function lockPath(runDir: string): string {
  return path.join(runDir, LOCK_FILE);
}

/** Whether process `pid` is alive on this machine. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder recorded in `runDir`, `undefined` when there is no lock, 'unreadable' while it is being written. */
export function readHolder(runDir: string): EmbeddedHolder | undefined | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(lockPath(runDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as EmbeddedHolder;
    return typeof parsed.pid === 'number' ? parsed : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Tries to create the lock for `self`; true when this process now holds the directory. */
export function tryClaim(runDir: string, self: EmbeddedHolder): boolean {
  try {
    writeFileSync(lockPath(runDir), JSON.stringify(self), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes a lock left by a dead process (or an unreadable one older than `unreadableMs`), so that
 * the next {@link tryClaim} can succeed. A lock moved aside that turns out to be live is put back.
 */
export function removeStaleLock(runDir: string, stalePid: number | undefined, unreadableMs = 5_000): void {
  const file = lockPath(runDir);
  if (stalePid === undefined) {
    try {
      if (Date.now() - statSync(file).mtimeMs < unreadableMs) return;
    } catch {
      return;
    }
  }
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // another process took it over first
  }
  const moved = readHolderFile(aside);
  if (moved && moved.pid !== stalePid && isAlive(moved.pid)) {
    // A fresh lock was written between our read and the rename: give it back.
    try {
      writeFileSync(file, JSON.stringify(moved), { flag: 'wx', mode: 0o600 });
    } catch {
      // a third process claimed meanwhile; its lock stands
    }
  }
  unlinkSync(aside);
}

/** Rewrites the lock of `self` (to publish its address once it listens). */
export function updateClaim(runDir: string, self: EmbeddedHolder): void {
  const file = lockPath(runDir);
  const next = `${file}.${process.pid}.tmp`;
  writeFileSync(next, JSON.stringify(self), { mode: 0o600 });
  renameSync(next, file);
}

/** Removes the lock when this process holds it. */
export function releaseClaim(runDir: string): void {
  const holder = readHolder(runDir);
  if (typeof holder === 'object' && holder.pid === process.pid) {
    try {
      unlinkSync(lockPath(runDir));
    } catch {
      // already gone
    }
  }
}

function readHolderFile(file: string): EmbeddedHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedHolder;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
