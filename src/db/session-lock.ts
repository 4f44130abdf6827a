/**
 * PGlite is one Postgres backend: one session for everyone. A {@link SessionLock} hands that
 * session to one holder at a time — a knex connection of this process or a socket client of
 * another — for as long as a query or a transaction needs it, in arrival order.
 */
export class SessionLock {
  private owner: string | undefined;
  private readonly waiting: { who: string; grant: () => void }[] = [];

  /** The current holder, if any. */
  get holder(): string | undefined {
    return this.owner;
  }

  /** Resolves once `who` holds the session (at once when it already does). */
  acquire(who: string): Promise<void> {
    if (this.owner === who) return Promise.resolve();
    if (this.owner === undefined) {
      this.owner = who;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ who, grant: resolve }));
  }

  /** Gives the session to the next waiter; a no-op when `who` does not hold it. */
  release(who: string): void {
    if (this.owner !== who) return;
    const next = this.waiting.shift();
    this.owner = next?.who;
    next?.grant();
  }

  /** Runs `fn` holding the session as `who`. */
  async run<T>(who: string, fn: () => Promise<T>): Promise<T> {
    const alreadyHeld = this.owner === who;
    await this.acquire(who);
    try {
      return await fn();
    } finally {
      if (!alreadyHeld) this.release(who);
    }
  }
}
