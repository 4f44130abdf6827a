import type { FastifyPluginAsync } from 'fastify';
import { runSql } from '../../db';
import { NotFoundError, ValidationError } from '../../core/errors';
import { readFeatureRows, toModelFrame, type ModelFrame } from '../../features';
import { ACCESS, maskPhone } from '../auth/roles';
import { principalOf } from '../auth/access';
import { columnStats, compareFeatures, nearestRows, type ColumnStats } from '../neighbours';
import { isoDate, type IsoDate } from '../../core/ids';
import { explainScores } from '../../pipeline/score-snapshot';
import type { ApiContext } from '../context';

const idParams = { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['id'] } as const;
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

interface SnapshotIndex {
  frame: ModelFrame;
  stats: ColumnStats;
  rowOf: Map<string, number>;
}

/** A debtor's page data, and its comparison with all debtors and with its nearest neighbours. */
export function debtorRoutes(ctx: ApiContext): FastifyPluginAsync {
  const knex = ctx.db.knex;
  // Snapshots are written once a night: the two most recent stay in memory for comparisons.
  const snapshots = new Map<string, Promise<SnapshotIndex>>();
  const snapshot = (asOf: string): Promise<SnapshotIndex> => {
    let hit = snapshots.get(asOf);
    if (!hit) {
      hit = readFeatureRows(ctx.db, asOf).then((rows) => {
        const frame = toModelFrame(rows);
        return { frame, stats: columnStats(frame), rowOf: new Map(frame.debtorIds.map((id, i) => [id, i])) };
      });
      hit.catch(() => snapshots.delete(asOf));
      snapshots.set(asOf, hit);
      while (snapshots.size > 2) snapshots.delete(snapshots.keys().next().value as string);
    }
    return hit;
  };

  return async (app) => {
    app.get<{ Params: { id: string } }>(
      '/api/debtors/:id',
      { config: { access: ACCESS.everyone }, schema: { tags: ['debtors'], summary: "A debtor's profile, cases, timeline, features, score, explanation and rank history", params: idParams } },
      async (request) => {
        const role = principalOf(request).role;
        const id = request.params.id;
        const profile = await knex('clean.debtors').where({ debtor_id: id }).first();
        if (!profile) throw new NotFoundError(`no debtor ${id}`);
        // A do-not-call request from any source that is not lifted (compliance reads the same table).
        const standingRequest = await knex('dialer.contact_requests').where({ debtor_id: id, kind: 'do_not_call' }).whereNull('lifted_on').first('request_id');
        const [phones, cases, timeline, features, scores, rankHistory] = await Promise.all([
          knex('clean.phones').where({ debtor_id: id }).orderBy('added_on', 'desc'),
          knex('clean.cases').where({ debtor_id: id }).orderBy('opened_on'),
          runSql<Record<string, unknown>>(knex, 'api/debtor-timeline', { debtor_id: id }),
          knex('features.debtor_features').where({ debtor_id: id }).orderBy('as_of', 'desc').first(),
          knex('scoring.scores as s').leftJoin('scoring.model_versions as v', 'v.version_id', 's.model_version_id').where('s.debtor_id', id).orderBy('s.as_of', 'desc').limit(60).select('s.as_of', 's.p_pay', 's.raw_score', 's.expected_value', 's.explanation', 's.model_version_id', 'v.threshold', 'v.kind'),
          runSql<Record<string, unknown>>(knex, 'api/rank-history', { debtor_id: id }).catch(() => ({ rows: [] })),
        ]);
        const latest = scores[0] as Record<string, unknown> | undefined;
        // Scores are explained when shown: a debtor opened here for the first time is explained now, and stored.
        if (latest && (latest.explanation === null || latest.explanation === undefined)) {
          latest.explanation = (await explainScores(knex, { asOf: isoDate(latest.as_of) as IsoDate, debtorIds: [id] })).get(id) ?? [];
        }
        return {
          profile: {
            debtorId: profile.debtor_id,
            officeCode: profile.office_code,
            title: profile.title,
            lastName: profile.last_name,
            firstName: profile.first_name,
            birthDate: isoDate(profile.birth_date),
            postalCode: profile.postal_code,
            city: profile.city,
            country: profile.country,
            timeZone: profile.time_zone,
            doNotCall: profile.do_not_call === true || standingRequest !== undefined,
          },
          phones: phones.map((p: Record<string, unknown>) => ({ phone: maskPhone(p.phone_e164 as string | null, role), type: p.phone_type, valid: p.valid, addedOn: isoDate(p.added_on) })),
          cases: cases.map((c: Record<string, unknown>) => ({ caseId: c.case_id, creditor: c.creditor, claimType: c.claim_type, principal: c.principal, fees: c.fees, openedOn: isoDate(c.opened_on), legalStage: c.legal_stage, status: c.status, disputed: c.disputed })),
          timeline: timeline.rows.map((t) => ({ kind: t.kind, at: t.at instanceof Date ? t.at.toISOString() : t.at, caseId: t.case_id, amount: t.amount, detail: t.detail, phone: maskPhone(t.phone_e164 as string | null, role) })),
          features: features ? { asOf: isoDate(features.as_of), values: Object.fromEntries(Object.entries(features).filter(([k]) => !['as_of', 'debtor_id', 'run_id', 'office_code', 'computed_at'].includes(k))) } : null,
          score: latest
            ? {
                asOf: isoDate(latest.as_of),
                pPay: latest.p_pay,
                rawScore: latest.raw_score,
                expectedValue: latest.expected_value,
                threshold: latest.threshold ?? null,
                modelVersionId: latest.model_version_id,
                modelKind: latest.kind ?? null,
                explanation: json(latest.explanation),
              }
            : null,
          scoreHistory: scores.map((s: Record<string, unknown>) => ({ asOf: isoDate(s.as_of), pPay: s.p_pay })).reverse(),
          rankHistory: rankHistory.rows.map((r) => ({ listDate: isoDate(r.list_date), teamId: r.team_id, rank: Number(r.rank), pPay: Number(r.p_pay), expectedRecovery: Number(r.expected_recovery) })),
        };
      },
    );

    app.get<{ Params: { id: string }; Querystring: { features?: string; k?: number } }>(
      '/api/debtors/:id/comparison',
      {
        config: { access: ACCESS.everyone },
        schema: {
          tags: ['debtors'],
          summary: 'The debtor against all debtors and against its k nearest neighbours (model features), for the top explained features',
          params: idParams,
          querystring: { type: 'object', properties: { features: { type: 'string', description: 'comma-separated; default: the top 5 of the explanation' }, k: { type: 'integer', minimum: 1, maximum: 500, default: 50 } }, additionalProperties: false },
        },
      },
      async (request) => {
        const id = request.params.id;
        const latest = await knex('features.debtor_features').where({ debtor_id: id }).max('as_of as as_of').first();
        if (!latest?.as_of) throw new NotFoundError(`no feature snapshot for debtor ${id}`);
        const asOf = isoDate(latest.as_of) as string;
        const index = await snapshot(asOf);
        const row = index.rowOf.get(id);
        if (row === undefined) throw new NotFoundError(`debtor ${id} is not in the ${asOf} snapshot`);
        let features = request.query.features?.split(',').map((f) => f.trim()).filter(Boolean);
        const unknown = features?.filter((f) => !index.frame.featureNames.includes(f)) ?? [];
        if (unknown.length > 0) {
          throw new ValidationError(`features: unknown feature${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${index.frame.featureNames.join(', ')})`, { context: { field: 'querystring.features' } });
        }
        if (!features?.length) {
          const explanation = (await explainScores(knex, { asOf: asOf as IsoDate, debtorIds: [id] })).get(id) ?? [];
          features = explanation.slice(0, 5).map((c) => c.feature);
          if (!features.length) features = index.frame.featureNames.slice(0, 5);
        }
        const k = Math.min(request.query.k ?? 50, Math.max(1, index.frame.nRows - 1));
        const neighbours = nearestRows(index.frame, row, k, index.stats);
        const neighbourIds = neighbours.map((i) => index.frame.debtorIds[i] as string);
        const neighbourScores = await knex('scoring.scores').where({ as_of: asOf }).whereIn('debtor_id', neighbourIds).select('debtor_id', 'p_pay');
        return {
          asOf,
          debtorId: id,
          population: index.frame.nRows,
          k: neighbours.length,
          neighbours: neighbourScores.map((s: Record<string, unknown>) => ({ debtorId: s.debtor_id, pPay: s.p_pay })),
          features: compareFeatures(index.frame, row, neighbours, features),
        };
      },
    );
  };
}
