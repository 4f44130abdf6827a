/**
 * A small, realistic relance database for the API, browser and load tests: clean tables, a feature
 * snapshot, a fitted logistic champion and a challenger with their curves, scores with
 * explanations, a published call list, orchestrator runs with logs, a drift report, realised
 * performance and uplift, and one token per role.
 */
import type { Knex } from 'knex';
import { Rng } from '../../src/core/rng';
import { addDays } from '../../src/core/ids';
import type { Database } from '../../src/db';
import { MODEL_FEATURES, SNAPSHOT_FEATURES, toModelFrame, type FeatureRow } from '../../src/features';
import { LogisticClassifier } from '../../src/model/logistic';
import { GbdtClassifier } from '../../src/model/gbdt';
import type { FittedModel } from '../../src/model/classifier';
import { costCurve, liftTable, auc } from '../../src/model/metrics';
import { reliabilityCurve } from '../../src/model/calibration';
import { registerModelVersion, startTrainingRun, finishTrainingRun, proposeChallenger } from '../../src/model/registry';
import { createApiToken } from '../../src/api/auth/tokens';
import { ROLES, type Role } from '../../src/api/auth/roles';
import { modelScorer, type Scorer } from '../../src/api/scoring/scorer';
import { saveDriftReport, saveRealisedPerformance } from '../../src/monitoring/store';
import { alertOnDatasetDrift, alertOnRealisedAuc } from '../../src/monitoring/alerts';
import { compileConfig } from '../../src/config';
import { realisedUplift, saveRealisedUplift } from '../../src/monitoring/uplift';
import { seedDialer } from './fixture-dialer';

/** What {@link seedApiDatabase} made. */
export interface ApiFixture {
  asOf: string;
  listDate: string;
  debtorIds: string[];
  tokens: Record<Role, string>;
  scorer: Scorer;
  championVersionId: string;
  /** A valid scoring payload (the first debtor's features). */
  payload: Record<string, number | null>;
}

const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent'];
const FIRST = ['Marie', 'Jean', 'Pierre', 'Sophie', 'Luc', 'Claire', 'Paul', 'Julie', 'Nicolas', 'Camille'];
const OUTCOMES = ['no_answer', 'busy', 'right_party_contact', 'promise', 'refusal', 'wrong_number'];

function featureRow(rng: Rng, asOf: string, debtorId: string, office: string): FeatureRow {
  const balance = Math.round(rng.exponential(1500) + 50);
  const nPay365 = rng.poisson(2);
  const nPay90 = Math.min(nPay365, rng.poisson(0.6));
  const nCalls90 = rng.poisson(3);
  const contacts = Math.min(nCalls90, rng.poisson(1));
  const nProm = rng.poisson(0.8);
  const row: Record<string, unknown> = {
    as_of: asOf,
    debtor_id: debtorId,
    office_code: office,
    balance,
    principal_total: balance + Math.round(rng.uniform(0, 500)),
    n_cases: 1 + rng.poisson(0.4),
    n_open_cases: 1,
    legal_stage_rank: rng.int(4),
    oldest_case_age_days: 30 + rng.int(900),
    newest_case_age_days: 10 + rng.int(300),
    paid_share: rng.next() * 0.6,
    n_payments_90d: nPay90,
    amount_paid_90d: nPay90 * Math.round(rng.uniform(20, 200)),
    n_payments_365d: nPay365,
    amount_paid_365d: nPay365 * Math.round(rng.uniform(20, 200)),
    days_since_last_payment: nPay365 ? rng.int(365) : null,
    last_payment_amount: nPay365 ? Math.round(rng.uniform(20, 300)) : null,
    avg_payment_amount: nPay365 ? Math.round(rng.uniform(20, 300)) : null,
    n_calls_30d: Math.min(nCalls90, rng.poisson(1)),
    n_calls_90d: nCalls90,
    n_contacts_90d: contacts,
    contact_rate_90d: nCalls90 ? contacts / nCalls90 : null,
    days_since_last_contact: contacts ? rng.int(90) : null,
    n_wrong_number_90d: rng.poisson(0.2),
    n_refusals_365d: rng.poisson(0.3),
    n_promises_365d: nProm,
    n_promises_kept_365d: Math.min(nProm, rng.poisson(0.4)),
    promise_keep_rate: nProm ? rng.next() : null,
    days_since_last_promise: nProm ? rng.int(365) : null,
    open_promise_amount: rng.bernoulli(0.2) ? Math.round(rng.uniform(50, 500)) : 0,
    age_years: 20 + rng.int(60),
    n_valid_phones: rng.int(3),
    has_valid_mobile: rng.bernoulli(0.7),
    disputed_any: rng.bernoulli(0.05),
    overseas: rng.bernoulli(0.05),
  };
  return row as FeatureRow;
}

/** Seeds `db` (migrated, empty) with `n` debtors; deterministic for a seed. */
export async function seedApiDatabase(db: Database, options: { n?: number; seed?: number; kind?: 'logistic' | 'gbdt' } = {}): Promise<ApiFixture> {
  const n = options.n ?? 240;
  const rng = new Rng(options.seed ?? 11);
  const knex = db.knex;
  const asOf = '2026-11-23';
  const listDate = '2026-11-24';
  const debtorIds = Array.from({ length: n }, (_, i) => `D${String(i + 1).padStart(5, '0')}`);
  const offices = debtorIds.map((_, i) => (i % 3 === 2 ? 'ETU02' : 'ETU01'));

  // Training history: labelled rows drawn from a known logistic relation.
  const train = Array.from({ length: 1200 }, (_, i) => featureRow(rng, '2026-06-01', `T${i}`, 'ETU01'));
  const trainFrame = toModelFrame(train);
  const col = (name: string) => MODEL_FEATURES.indexOf(name);
  const y = new Uint8Array(train.length);
  for (let i = 0; i < train.length; i++) {
    const v = (name: string) => {
      const x = trainFrame.data[i * trainFrame.nCols + col(name)] as number;
      return Number.isNaN(x) ? 0 : x;
    };
    const z = -1.2 + 0.5 * v('n_payments_90d') + 1.5 * v('contact_rate_90d') - 0.0003 * v('balance') + 0.8 * v('has_valid_mobile') - 0.6 * v('n_refusals_365d');
    y[i] = rng.bernoulli(1 / (1 + Math.exp(-z))) ? 1 : 0;
  }
  const dataset = { ...trainFrame, featureNames: MODEL_FEATURES, y };
  const kind = options.kind ?? 'logistic';
  const champion: FittedModel = kind === 'gbdt' ? await new GbdtClassifier({ numRounds: 150, numLeaves: 31, nThreads: 1 }).fit(dataset) : new LogisticClassifier({ irls: { l2: 0.001 } }).fitSync(dataset);
  const challenger = new LogisticClassifier({ irls: { l2: 0.05 } }).fitSync(dataset);
  const trainP = champion.predictProba(trainFrame);
  const threshold = 0.3;

  await startTrainingRun(knex, { trainingRunId: 'tr-1', trigger: 'fixture', params: { models: ['logistic'] } });
  const curves = { roc: costCurve(y, trainP), reliability: reliabilityCurve(y, trainP), lift: liftTable(y, trainP), cost: costCurve(y, trainP) };
  await finishTrainingRun(knex, 'tr-1', { metrics: { [kind]: { auc: auc(y, trainP) } }, artefacts: { [kind]: curves, logistic: curves } });
  const metrics = (p: Float64Array) => ({ auc: auc(y, p), cost: 0.5, brier: 0.2 });
  await registerModelVersion(knex, { versionId: 'logistic-v1', kind, trainingRunId: 'tr-1', featureNames: [...MODEL_FEATURES], model: champion.toJSON(), threshold, metrics: metrics(trainP), reference: null });
  await proposeChallenger(knex, 'logistic-v1');
  await registerModelVersion(knex, { versionId: 'logistic-v2', kind: 'logistic', trainingRunId: 'tr-1', featureNames: [...MODEL_FEATURES], model: challenger.toJSON(), threshold: 0.32, metrics: { ...metrics(challenger.predictProba(trainFrame)), cost: 0.6 }, reference: null });
  await proposeChallenger(knex, 'logistic-v2');
  const scorer = modelScorer(champion, { versionId: 'logistic-v1', threshold });

  // Clean tables.
  await knex('clean.debtors').insert(
    debtorIds.map((id, i) => ({ debtor_id: id, office_code: offices[i], title: i % 2 ? 'Mme' : 'M.', last_name: LAST[i % LAST.length], first_name: FIRST[(i * 7) % FIRST.length], birth_date: `19${50 + (i % 45)}-0${1 + (i % 9)}-1${i % 9}`, postal_code: i % 20 === 0 ? '97110' : `750${String(i % 20).padStart(2, '0')}`, city: i % 20 === 0 ? 'Pointe-à-Pitre' : 'Paris', country: 'FR', time_zone: i % 20 === 0 ? 'America/Guadeloupe' : 'Europe/Paris', do_not_call: false, updated_on: asOf, _load_id: 'load-1' })),
  );
  await knex('clean.phones').insert(debtorIds.map((id, i) => ({ debtor_id: id, phone_e164: `+336${String(10000000 + i * 7919).slice(0, 8)}`, phone_type: 'mobile', valid: true, added_on: '2025-01-10', _load_id: 'load-1' })));
  await knex('clean.cases').insert(debtorIds.map((id, i) => ({ case_id: `C${id}`, debtor_id: id, office_code: offices[i], creditor: i % 2 ? 'Banque Nord' : 'Energie Plus', claim_type: 'consumer_credit', principal: 500 + (i % 17) * 120, fees: 45, opened_on: addDays(asOf, -200 - (i % 300)), legal_stage: 'amicable', status: 'open', disputed: false, _load_id: 'load-1' })));
  const payments: Record<string, unknown>[] = [];
  const calls: Record<string, unknown>[] = [];
  const promises: Record<string, unknown>[] = [];
  debtorIds.forEach((id, i) => {
    for (let k = 0; k < 1 + (i % 3); k++) payments.push({ payment_id: `P${id}-${k}`, case_id: `C${id}`, debtor_id: id, paid_on: addDays(asOf, -20 - k * 35 - (i % 11)), amount: 30 + ((i + k) % 7) * 25, method: 'CB', _load_id: 'load-1' });
    for (let k = 0; k < 2 + (i % 4); k++) calls.push({ call_id: `K${id}-${k}`, debtor_id: id, case_id: `C${id}`, phone_e164: `+336${String(10000000 + i * 7919).slice(0, 8)}`, called_at: new Date(Date.parse(`${addDays(asOf, -5 - k * 17)}T09:30:00Z`) + (i % 8) * 3600_000), duration_s: 30 + (k * 13) % 200, outcome: OUTCOMES[(i + k) % OUTCOMES.length], agent: `agent-${1 + (k % 3)}`, _load_id: 'load-1' });
    if (i % 4 === 0) promises.push({ promise_id: `R${id}`, case_id: `C${id}`, debtor_id: id, promised_on: addDays(asOf, -12), amount: 150, due_on: addDays(asOf, 10), _load_id: 'load-1' });
  });
  await knex.batchInsert('clean.payments', payments as Record<string, unknown>[], 500);
  await knex.batchInsert('clean.calls', calls as Record<string, unknown>[], 500);
  await knex.batchInsert('clean.promises', promises as Record<string, unknown>[], 500);

  // Feature snapshot and scores.
  const rows = debtorIds.map((id, i) => featureRow(rng, asOf, id, offices[i] as string));
  const featureColumns = ['as_of', 'debtor_id', 'office_code', 'legal_stage_rank', 'disputed_any', ...SNAPSHOT_FEATURES];
  await knex.batchInsert('features.debtor_features', rows.map((r) => Object.fromEntries(featureColumns.map((c) => [c, r[c] ?? null]))) as Record<string, unknown>[], 200);
  const frame = toModelFrame(rows);
  const scored = rows.map((r, i) => {
    const features: Record<string, number | null> = {};
    MODEL_FEATURES.forEach((name, j) => {
      const v = frame.data[i * frame.nCols + j] as number;
      features[name] = Number.isNaN(v) ? null : v;
    });
    return { debtorId: r.debtor_id, features, result: scorer.score(features) };
  });
  await knex.batchInsert(
    'scoring.scores',
    scored.flatMap((s) => [0, 7, 14].map((back) => ({ as_of: addDays(asOf, -back), debtor_id: s.debtorId, run_id: 'run-3', model_version_id: 'logistic-v1', p_pay: Math.min(1, Math.max(0, s.result.pPay + (back ? (rng.next() - 0.5) * 0.1 : 0))), raw_score: s.result.rawScore, expected_value: s.result.expectedValue, explanation: JSON.stringify(s.result.contributions.slice(0, 8)) }))) as Record<string, unknown>[],
    300,
  );

  await seedDialer(knex, { listDate, scored: scored.map((s, i) => ({ debtorId: s.debtorId, office: offices[i] as string, pPay: s.result.pPay, balance: Number(rows[i]!.balance), contributions: s.result.contributions, phone: `+336${String(10000000 + i * 7919).slice(0, 8)}` })) });
  await seedOrchestrator(knex, listDate);
  await seedMonitoring(db, asOf);

  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) tokens[role] = (await createApiToken(knex, { name: `test-${role}`, role })).token;
  return { asOf, listDate, debtorIds, tokens, scorer, championVersionId: 'logistic-v1', payload: scored[0]!.features };
}

async function seedOrchestrator(knex: Knex, listDate: string): Promise<void> {
  const tasks = ['extract', 'clean', 'features', 'score', 'rank', 'publish', 'drift'];
  for (let d = 0; d < 6; d++) {
    const day = addDays(listDate, -5 + d);
    const runId = `nightly_call_list__${day}`;
    const failed = d === 3;
    const start = Date.parse(`${day}T01:00:00Z`);
    await knex('orchestrator.dag_runs').insert({ run_id: runId, dag_id: 'nightly_call_list', logical_date: new Date(start), data_interval_start: new Date(start), data_interval_end: new Date(start + 86400_000), run_type: 'scheduled', state: failed ? 'failed' : 'success', started_at: new Date(start + 3600_000), ended_at: new Date(start + 3600_000 + 900_000) });
    let failedSeen = false;
    for (const [k, task] of tasks.entries()) {
      const state = failed && task === 'score' ? 'failed' : failedSeen ? 'upstream_failed' : 'success';
      if (state === 'failed') failedSeen = true;
      await knex('orchestrator.task_instances').insert({ run_id: runId, task_id: task, state, try_number: state === 'failed' ? 3 : 1, max_tries: 3, pool: 'default', queued_at: new Date(start + 3600_000 + k * 60_000), started_at: new Date(start + 3600_000 + k * 60_000), ended_at: new Date(start + 3600_000 + k * 60_000 + 50_000), duration_ms: 50_000, error: state === 'failed' ? 'DatabaseError: scoring/delete-scores: connection lost' : null });
      await knex('orchestrator.task_logs').insert({ run_id: runId, task_id: task, try_number: 1, level: state === 'failed' ? 'error' : 'info', line: `${task} ${state === 'failed' ? 'failed: connection lost' : 'done'}` });
    }
  }
}

async function seedMonitoring(db: Database, asOf: string): Promise<void> {
  const bins = (shift: number) => Array.from({ length: 8 }, (_, b) => ({ bin: `${b * 250}–${(b + 1) * 250}`, reference: Math.exp(-((b - 3) ** 2) / 4) / 3.5, current: Math.exp(-((b - 3 - shift) ** 2) / 4) / 3.5 }));
  const config = compileConfig({});
  for (const [k, day] of [addDays(asOf, -14), addDays(asOf, -7), asOf].entries()) {
    const report = await saveDriftReport(db, {
      asOf: day,
      modelVersionId: 'logistic-v1',
      shareThreshold: 0.5,
      nReference: 1200,
      nCurrent: 240,
      columns: MODEL_FEATURES.map((feature, j) => {
        const drifted = k === 2 && j % 2 === 0;
        return { feature, method: 'psi', statistic: drifted ? 0.3 + j / 100 : 0.02 + j / 1000, threshold: 0.2, drifted, distribution: bins(drifted ? 1.5 : 0.1) };
      }),
    });
    await alertOnDatasetDrift(db, report, config);
  }
  for (let m = 0; m < 5; m++) {
    const listDate = addDays(asOf, -60 - m * 7);
    const perf = {
      listDate,
      modelVersionId: 'logistic-v1',
      horizonDays: 30,
      n: 240,
      nPaid: 60 - m,
      payRate: (60 - m) / 240,
      auc: 0.74 - m * 0.03,
      deciles: Array.from({ length: 10 }, (_, d) => ({ decile: d + 1, n: 24, nPaid: Math.max(0, 12 - d), payRate: Math.max(0, 12 - d) / 24, meanPPay: 0.55 - d * 0.05 })),
    };
    await saveRealisedPerformance(db, perf);
    await alertOnRealisedAuc(db, perf, config);
  }
  // Five lists measured against their control group: 950 called and 50 control debtors each.
  for (let m = 0; m < 5; m++) {
    const result = realisedUplift({ n: 950, nPaid: 228 - m * 5, meanRecovered: 31 - m, varianceRecovered: 90 ** 2 }, { n: 50, nPaid: 10 + (m % 3), meanRecovered: 24 + m, varianceRecovered: 80 ** 2 });
    await saveRealisedUplift(db.knex, { listDate: addDays(asOf, -60 - m * 7), horizonDays: 30, minPaidAmount: 1, result });
  }
}
