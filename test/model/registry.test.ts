import { engines } from '../helpers/db';
import { registerModelVersion, proposeChallenger, getAliasVersion, rollback, promote, aliasHistory, listModelVersions, startTrainingRun, finishTrainingRun } from '../../src/model/registry';

const model = { kind: 'logistic', formatVersion: 1, featureNames: ['a'] };

describe.each(engines)('model registry on $name', ({ open }) => {
  test('the first model becomes champion; a challenger is promoted only when better on both AUC and cost', async () => {
    const t = await open();
    const knex = t.db.knex;
    try {
      await startTrainingRun(knex, { trainingRunId: 'tr1', trigger: 'test', params: { kinds: ['logistic'] } });
      await finishTrainingRun(knex, 'tr1', { metrics: { logistic: { auc: 0.8 } } });
      const add = (id: string, auc: number, cost: number) =>
        registerModelVersion(knex, { versionId: id, kind: 'logistic', trainingRunId: 'tr1', featureNames: ['a'], model, threshold: 0.1, metrics: { auc, cost }, reference: null });

      await add('v1', 0.8, 0.5);
      expect(await proposeChallenger(knex, 'v1')).toMatchObject({ promoted: true, championVersionId: 'v1' });

      await add('v2', 0.85, 0.55); // better AUC, worse cost
      const refused = await proposeChallenger(knex, 'v2');
      expect(refused.promoted).toBe(false);
      expect(refused.reason).toMatch(/cost 0\.5500 ≥ 0\.5000/);
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('v1');
      expect((await getAliasVersion(knex, 'challenger'))!.versionId).toBe('v2');

      await add('v3', 0.86, 0.45);
      expect(await proposeChallenger(knex, 'v3')).toMatchObject({ promoted: true, championVersionId: 'v3' });

      expect(await rollback(knex, 'bad list on Monday')).toBe('v1');
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('v1');

      await promote(knex, 'v2', 'office asked for it');
      const history = await aliasHistory(knex);
      expect(history[0]).toMatchObject({ alias: 'champion', version_id: 'v2', accepted: true });
      expect(history.some((h) => h.accepted === false && h.version_id === 'v2')).toBe(true);

      const versions = await listModelVersions(knex);
      expect(versions.map((v) => v.versionId).sort()).toEqual(['v1', 'v2', 'v3']);
      expect(versions.find((v) => v.versionId === 'v2')!.aliases.sort()).toEqual(['champion']);
    } finally {
      await t.close();
    }
  });

  test('a rollback without a previous champion is refused', async () => {
    const t = await open();
    try {
      await expect(rollback(t.db.knex, 'x')).rejects.toThrow(/no previous version/);
    } finally {
      await t.close();
    }
  });
});
