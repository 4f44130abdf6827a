import type { Redis } from 'ioredis';
import type { RelanceConfig } from '../config';
import type { Database } from '../db';
import type { Logger } from '../core/log';
import type { Clock } from '../core/clock';
import type { ScorerSource } from './scoring/champion-scorer';
import type { ApiMetrics } from './metrics';
import type { PipelineControl } from './pipeline-control';

/** What every route plugin of the API receives. */
export interface ApiContext {
  readonly db: Database;
  readonly config: RelanceConfig;
  readonly log: Logger;
  readonly scorer: ScorerSource;
  readonly metrics: ApiMetrics;
  readonly control?: PipelineControl;
  readonly redis?: Redis;
  /** Time of the call room. */
  readonly clock: Clock;
}
