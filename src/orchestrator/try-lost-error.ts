import { RelanceError } from '../core/errors';

/** A try that was running in a process that stopped (killed, lost its lease). Retryable. */
export class TryLostError extends RelanceError {
  override name = 'TryLostError';
  constructor(message: string) {
    super(message, { retryable: true });
  }
}
