import { Command } from 'commander';
import { aliasHistory, getModelVersion, listModelVersions, promote, rollback } from '../../model/registry';
import { getUpliftModelVersion, listUpliftModels, type UpliftModelVersion } from '../../model/uplift/uplift-registry';
import { NotFoundError } from '../../core/errors';
import { formatTable } from '../format-table';
import { reliabilityLines, calibrationOf } from '../reliability-lines';
import { withResources, type CliEnv } from '../cli-env';

const num = (v: unknown, digits = 4): string => (typeof v === 'number' ? v.toFixed(digits) : '-');

const pct = (v: unknown): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '-');

/** The lines `relance models uplift <version>` prints: what it was fitted on and how it did later. */
function upliftLines(v: UpliftModelVersion): string[] {
  const e = v.evaluation as { rows?: number; called?: number; qini?: number; promiseAuc?: number; keptAuc?: number; deciles?: { rows: number; called: number; payRateCalled: number | null; payRateNotCalled: number | null; uplift: number | null }[] };
  const rows = Object.entries(v.fitRows).map(([k, n]) => `${k} ${n}`).join(', ');
  return [
    `${v.versionId} (${v.kind}), trained by ${v.trainingRunId ?? '-'} on ${v.createdAt.toISOString()}`,
    `treatment: a call within ${v.treatmentDays} days; outcome: paid within ${v.horizonDays} days`,
    `fitted on ${v.fitSnapshots.length} snapshots (${v.fitSnapshots[0] ?? '-'} … ${v.fitSnapshots[v.fitSnapshots.length - 1] ?? '-'}), rows: ${rows}; ${num(v.fitSeconds, 1)} s`,
    `judged on ${v.evaluationAsOf ?? '-'} (${e.rows ?? 0} debtors, ${e.called ?? 0} called in the window): promise AUC ${num(e.promiseAuc, 3)}, kept AUC ${num(e.keptAuc, 3)}, observed Qini ${num(e.qini, 4)}`,
    'decile of the learned effect: pay rate called / not called (called rows)',
    ...(e.deciles ?? []).map((d, i) => `  ${String(i + 1).padStart(2)}  ${pct(d.payRateCalled).padStart(6)} / ${pct(d.payRateNotCalled).padStart(6)}  (${d.called} of ${d.rows})`),
  ];
}

/** `relance models list | show | uplift | promote | rollback`: the model registry for the IT team. */
export function modelsCommand(env: CliEnv): Command {
  const models = new Command('models').description('model versions, the champion and its history');

  models
    .command('list')
    .description('every model version with its holdout metrics and aliases')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) =>
      withResources(env, async ({ db }) => {
        const versions = await listModelVersions(db.knex);
        if (opts.json) return env.print(JSON.stringify(versions, null, 2));
        env.print(
          formatTable(versions, [
            { header: 'version', value: (v) => v.versionId },
            { header: 'kind', value: (v) => v.kind },
            { header: 'aliases', value: (v) => v.aliases.join(',') },
            { header: 'AUC', value: (v) => num(v.metrics.auc), align: 'right' },
            { header: 'cost/row', value: (v) => num(v.metrics.cost), align: 'right' },
            { header: 'threshold', value: (v) => num(v.threshold), align: 'right' },
            { header: 'created', value: (v) => v.createdAt.toISOString().slice(0, 16).replace('T', ' ') },
          ]),
        );
      }),
    );

  models
    .command('show <version>')
    .description('one version: metrics, threshold, features, and the alias history')
    .option('--json', 'machine-readable output')
    .action((versionId: string, opts: { json?: boolean }) =>
      withResources(env, async ({ db }) => {
        const v = await getModelVersion(db.knex, versionId);
        const history = (await aliasHistory(db.knex, 200)).filter((h) => h.version_id === versionId || h.previous_version_id === versionId);
        const summary = { versionId: v.versionId, kind: v.kind, trainingRunId: v.trainingRunId, createdAt: v.createdAt, holdoutAsOf: v.holdoutAsOf, threshold: v.threshold, calibration: calibrationOf(v.model), metrics: v.metrics, featureNames: v.featureNames, history };
        if (opts.json) return env.print(JSON.stringify(summary, null, 2));
        env.print(`${v.versionId} (${v.kind}), trained by ${v.trainingRunId ?? '-'} on ${v.createdAt.toISOString()}`);
        env.print(`threshold ${num(v.threshold)}; holdout${v.holdoutAsOf ? ` ${v.holdoutAsOf}` : ''}: ${Object.entries(v.metrics).filter(([, x]) => typeof x === 'number').map(([k, x]) => `${k} ${num(x)}`).join(', ')}`);
        env.print(`calibration: ${calibrationOf(v.model)}`);
        for (const line of reliabilityLines(v.metrics)) env.print(line);
        env.print(`features (${v.featureNames.length}): ${v.featureNames.join(', ')}`);
        for (const h of history) env.print(`  ${new Date(h.moved_at as string).toISOString()} ${h.alias} ${String(h.action ?? (h.accepted ? 'moved' : 'refused'))}: ${h.reason}`);
      }),
    );

  models
    .command('uplift [version]')
    .description('the uplift models (the effect of a call) learned by the retrain, newest first — the newest ranks the list; with a version, its fit and its evaluation on a later snapshot')
    .option('--json', 'machine-readable output')
    .action((versionId: string | undefined, opts: { json?: boolean }) =>
      withResources(env, async ({ db }) => {
        if (versionId) {
          const v = await getUpliftModelVersion(db.knex, versionId);
          if (!v) throw new NotFoundError(`no uplift model ${versionId}`);
          if (opts.json) return env.print(JSON.stringify(v, null, 2));
          for (const line of upliftLines(v)) env.print(line);
          return;
        }
        const versions = await listUpliftModels(db.knex);
        if (opts.json) return env.print(JSON.stringify(versions, null, 2));
        env.print(
          formatTable(versions, [
            { header: 'version', value: (v) => v.versionId },
            { header: 'kind', value: (v) => v.kind },
            { header: 'in use', value: (v) => (v === versions[0] ? 'yes' : '') },
            { header: 'judged on', value: (v) => v.evaluationAsOf ?? '-' },
            { header: 'promise AUC', value: (v) => num(v.evaluation.promiseAuc, 3), align: 'right' },
            { header: 'kept AUC', value: (v) => num(v.evaluation.keptAuc, 3), align: 'right' },
            { header: 'Qini', value: (v) => num(v.evaluation.qini), align: 'right' },
            { header: 'created', value: (v) => v.createdAt.toISOString().slice(0, 16).replace('T', ' ') },
          ]),
        );
      }),
    );

  models
    .command('promote <version>')
    .description('make a version the champion by hand')
    .requiredOption('--reason <text>', 'why, kept in the history')
    .action((versionId: string, opts: { reason: string }) =>
      withResources(env, async ({ db }) => {
        await promote(db.knex, versionId, opts.reason);
        env.print(`champion is now ${versionId}`);
      }),
    );

  models
    .command('rollback')
    .description('give the champion alias back to the champion before it (repeat to walk further back)')
    .requiredOption('--reason <text>', 'why, kept in the history')
    .action((opts: { reason: string }) =>
      withResources(env, async ({ db }) => {
        const version = await rollback(db.knex, opts.reason);
        env.print(`champion rolled back to ${version}`);
      }),
    );

  return models;
}
