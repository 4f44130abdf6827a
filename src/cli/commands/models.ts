import { Command } from 'commander';
import { aliasHistory, getModelVersion, listModelVersions, promote, rollback } from '../../model/registry';
import { formatTable } from '../format-table';
import { reliabilityLines, calibrationOf } from '../reliability-lines';
import { withResources, type CliEnv } from '../cli-env';

const num = (v: unknown, digits = 4): string => (typeof v === 'number' ? v.toFixed(digits) : '-');

/** `relance models list | show | promote | rollback`: the model registry for the IT team. */
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
