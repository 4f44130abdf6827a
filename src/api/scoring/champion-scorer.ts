/**
 * The champion model as a {@link Scorer}, loaded from the registry once and kept in memory. It is
 * looked up again at most every `refreshMs`, so a promotion reaches a running API without a
 * database round-trip on every request.
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../../core/errors';
import { getAliasVersion } from '../../model/registry';
import { loadFittedModel } from '../../model/model-kinds';
import { modelScorer, type Scorer } from './scorer';

/** Gives the scorer to use now. */
export interface ScorerSource {
  current(): Promise<Scorer>;
}

/** A source that always gives the same scorer (tests, benchmarks). */
export function fixedScorer(scorer: Scorer): ScorerSource {
  return { current: async () => scorer };
}

/** The registry's champion, refreshed at most every `refreshMs` (default 30 s). */
export function championScorer(knex: Knex, options: { refreshMs?: number } = {}): ScorerSource {
  const refreshMs = options.refreshMs ?? 30_000;
  let cached: Scorer | undefined;
  let checkedAt = 0;
  let pending: Promise<Scorer> | undefined;
  const load = async (): Promise<Scorer> => {
    const row = await knex('scoring.model_aliases').where({ alias: 'champion' }).first('version_id');
    if (!row) throw new NotFoundError('no champion model: train one first (relance train)');
    if (cached && cached.versionId === row.version_id) return cached;
    const version = await getAliasVersion(knex, 'champion');
    if (!version) throw new NotFoundError('no champion model: train one first (relance train)');
    return modelScorer(loadFittedModel(version.model), { versionId: version.versionId, threshold: version.threshold });
  };
  return {
    async current() {
      if (cached && Date.now() - checkedAt < refreshMs) return cached;
      pending ??= load().finally(() => {
        pending = undefined;
      });
      const scorer = await pending;
      cached = scorer;
      checkedAt = Date.now();
      return scorer;
    },
  };
}
