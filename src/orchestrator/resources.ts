import type { RelanceConfig } from '../config';

/** What a process builds once for the tasks it runs, and releases when it stops. */
export interface ClosableResources {
  close(): Promise<void>;
}

/**
 * Builds the resources handed to every task (`ctx.resources`) in the process that runs tasks:
 * `relance dags run`, `relance worker`, the scheduler, tests. The project's factory is
 * `createResources` of `src/pipeline/resources`; tests pass their own.
 */
export type ResourcesFactory<R extends ClosableResources> = (config: RelanceConfig) => Promise<R>;
