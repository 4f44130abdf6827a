/**
 * What the API needs from the orchestrator to act on runs. The API only reads the orchestrator's
 * tables; triggering and clearing go through this interface, which the process that starts the API
 * implements with the orchestrator it runs (so the API never duplicates the state machine).
 */

/** A triggered run. */
export interface TriggeredRun {
  runId: string;
  dagId: string;
  logicalDate: string;
}

/** Triggers and clears runs on behalf of the IT team. */
export interface PipelineControl {
  /** Ids of the DAGs this deployment knows (declared in `dags/`). */
  dagIds(): readonly string[];
  /** Starts a manual run; `logicalDate` defaults to now. Refused if that date already has a run. */
  trigger(dagId: string, options: { logicalDate?: Date; conf?: Record<string, unknown>; requestedBy: string }): Promise<TriggeredRun>;
  /**
   * Clears task instances of a run so that they run again (with their downstream tasks when
   * `downstream`); no `taskIds` clears the failed ones. Returns how many were cleared. Refused
   * with a ConflictError (nothing cleared) when one of them is running.
   */
  clear(runId: string, options: { taskIds?: readonly string[]; downstream?: boolean; requestedBy: string }): Promise<number>;
}
