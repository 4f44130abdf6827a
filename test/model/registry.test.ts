import type { Knex } from 'knex';
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
      const refused = await proposeChallenger(knex, 'v2', { holdoutAsOf: '2026-05-01', championVersionId: 'v1', champion: { auc: 0.8, cost: 0.5 }, challenger: { auc: 0.85, cost: 0.55 } });
      expect(refused.promoted).toBe(false);
      expect(refused.reason).toMatch(/cost 0\.5500 ≥ 0\.5000/);
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('v1');
      expect((await getAliasVersion(knex, 'challenger'))!.versionId).toBe('v2');

      await add('v3', 0.86, 0.45);
      // better stored metrics are not enough: the two must be compared on the same holdout
      expect(await proposeChallenger(knex, 'v3')).toMatchObject({ promoted: false, championVersionId: 'v1', reason: expect.stringMatching(/not compared with the champion on the same holdout/) });
      const sameHoldout = { holdoutAsOf: '2026-05-01', championVersionId: 'v1', champion: { auc: 0.79, cost: 0.52 }, challenger: { auc: 0.86, cost: 0.45 } };
      expect(await proposeChallenger(knex, 'v3', sameHoldout)).toMatchObject({ promoted: true, championVersionId: 'v3' });

      expect(await rollback(knex, 'bad list on Monday')).toBe('v1');
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('v1');

      await promote(knex, 'v2', 'office asked for it');
      const history = await aliasHistory(knex);
      expect(history[0]).toMatchObject({ alias: 'champion', version_id: 'v2', accepted: true });
      expect(history.some((h) => h.accepted === false && h.version_id === 'v2' && h.action === 'refusal')).toBe(true);

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

describe.each(engines)('promotion on the same holdout and rollback through the history on $name', ({ open }) => {
  const add = (knex: Knex, id: string, holdoutAsOf: string | null, auc: number, cost: number) =>
    registerModelVersion(knex, { versionId: id, kind: 'logistic', trainingRunId: null, featureNames: ['a'], model, threshold: 0.1, metrics: { auc, cost }, reference: null, holdoutAsOf });

  test('a challenger trained on older data never replaces a champion trained on newer data, whatever its stored metrics', async () => {
    const t = await open();
    const knex = t.db.knex;
    try {
      await add(knex, 'june', '2026-06-01', 0.7, 0.6);
      expect(await proposeChallenger(knex, 'june')).toMatchObject({ promoted: true });
      await add(knex, 'march', '2026-03-01', 0.9, 0.2); // far better metrics, on an older holdout
      const onItsOwnHoldout = { holdoutAsOf: '2026-03-01', championVersionId: 'june', champion: { auc: 0.7, cost: 0.6 }, challenger: { auc: 0.9, cost: 0.2 } };
      const decision = await proposeChallenger(knex, 'march', onItsOwnHoldout);
      expect(decision).toMatchObject({ promoted: false, championVersionId: 'june' });
      expect(decision.reason).toMatch(/data ends before the champion's: holdout 2026-03-01 < 2026-06-01/);
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('june');
      expect((await getAliasVersion(knex, 'challenger'))!.versionId).toBe('march');
      expect((await getAliasVersion(knex, 'champion'))!.holdoutAsOf).toBe('2026-06-01');
    } finally {
      await t.close();
    }
  });

  test('a comparison made against another champion, or on another holdout, does not promote', async () => {
    const t = await open();
    const knex = t.db.knex;
    try {
      await add(knex, 'a', '2026-05-01', 0.7, 0.6);
      await proposeChallenger(knex, 'a');
      await add(knex, 'b', '2026-06-01', 0.8, 0.5);
      const better = { champion: { auc: 0.7, cost: 0.6 }, challenger: { auc: 0.8, cost: 0.5 } };
      expect((await proposeChallenger(knex, 'b', { ...better, holdoutAsOf: '2026-06-01', championVersionId: 'zz' })).reason).toMatch(/compared with zz, no longer the champion/);
      expect((await proposeChallenger(knex, 'b', { ...better, holdoutAsOf: '2026-05-01', championVersionId: 'a' })).reason).toMatch(/compared on 2026-05-01, not on its holdout 2026-06-01/);
      expect(await proposeChallenger(knex, 'b', { ...better, holdoutAsOf: '2026-06-01', championVersionId: 'a' })).toMatchObject({ promoted: true, championVersionId: 'b' });
    } finally {
      await t.close();
    }
  });

  test('rollbacks walk the champion history backwards: A → B → C, rollback → B, rollback → A, then refused', async () => {
    const t = await open();
    const knex = t.db.knex;
    try {
      for (const id of ['A', 'B', 'C']) await add(knex, id, '2026-05-01', 0.7, 0.5);
      await proposeChallenger(knex, 'A');
      await promote(knex, 'B', 'new model');
      await add(knex, 'X', '2026-05-01', 0.6, 0.9);
      await proposeChallenger(knex, 'X', { holdoutAsOf: '2026-05-01', championVersionId: 'B', champion: { auc: 0.7, cost: 0.5 }, challenger: { auc: 0.6, cost: 0.9 } }); // refused: not in the history
      await proposeChallenger(knex, 'C', { holdoutAsOf: '2026-05-01', championVersionId: 'B', champion: { auc: 0.7, cost: 0.5 }, challenger: { auc: 0.71, cost: 0.49 } });
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('C');

      expect(await rollback(knex, 'bad list')).toBe('B');
      expect(await rollback(knex, 'still bad')).toBe('A');
      expect((await getAliasVersion(knex, 'champion'))!.versionId).toBe('A');
      await expect(rollback(knex, 'again')).rejects.toThrow(/no previous version/);

      // a new promotion stacks on what is left: A → D, rollback → A
      await promote(knex, 'B', 'try B again');
      expect(await rollback(knex, 'no')).toBe('A');
      const actions = (await aliasHistory(knex)).filter((h) => h.alias === 'champion').map((h) => `${h.action}:${h.version_id}`).reverse();
      expect(actions).toEqual(['promotion:A', 'manual:B', 'refusal:X', 'promotion:C', 'rollback:B', 'rollback:A', 'manual:B', 'rollback:A']);
    } finally {
      await t.close();
    }
  });
});
