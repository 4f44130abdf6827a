/**
 * Seeds a published call list for the API tests: two teams, ranked by expected recovery, with a
 * calling window and the reasons of the explanation.
 */
import type { Knex } from 'knex';
import type { Contribution } from '../../src/api/scoring/scorer';

/** A scored debtor to place on the list. */
export interface ListedDebtor {
  debtorId: string;
  office: string;
  pPay: number;
  balance: number;
  phone: string;
  contributions: Contribution[];
}

/** Writes the list of `listDate` (and a shorter one the day before, for rank history). */
export async function seedDialer(knex: Knex, input: { listDate: string; scored: ListedDebtor[] }): Promise<void> {
  const exists = await knex.raw(`select to_regclass('dialer.call_list') as t`);
  if (!exists.rows[0]?.t) {
    // Until the ranking migration lands, the tests create the table the API reads.
    await knex.raw(`create table dialer.call_list (
      list_date date not null, team_id text not null, rank integer not null, debtor_id text not null, office_code text,
      p_pay double precision not null, expected_recovery double precision not null,
      window_start timestamptz, window_end timestamptz, reasons jsonb not null default '[]', phone_e164 text,
      model_version_id text, run_id text, primary key (list_date, debtor_id))`);
  }
  const previous = new Date(Date.parse(input.listDate) - 86400_000).toISOString().slice(0, 10);
  for (const [date, share] of [[previous, 0.8], [input.listDate, 1]] as const) {
    const ranked = input.scored
      .slice(0, Math.floor(input.scored.length * share))
      .map((d) => ({ ...d, ev: d.pPay * d.balance * (date === previous ? 0.9 + (d.balance % 7) / 30 : 1) }))
      .sort((a, b) => b.ev - a.ev);
    const perTeam = new Map<string, number>();
    const rows = ranked.map((d) => {
      const team = d.office === 'ETU02' ? 'equipe-2' : 'equipe-1';
      const rank = (perTeam.get(team) ?? 0) + 1;
      perTeam.set(team, rank);
      const hour = 9 + (rank % 8);
      return {
        list_date: date,
        team_id: team,
        rank,
        debtor_id: d.debtorId,
        office_code: d.office,
        p_pay: d.pPay,
        expected_recovery: Math.round(d.ev * 100) / 100,
        window_start: `${date}T${String(hour).padStart(2, '0')}:00:00+01:00`,
        window_end: `${date}T${String(hour + 1).padStart(2, '0')}:00:00+01:00`,
        reasons: JSON.stringify(d.contributions.slice(0, 3).map((c) => ({ feature: c.feature, contribution: c.contribution, text: `${c.feature.replace(/_/g, ' ')} ${c.contribution >= 0 ? 'raises' : 'lowers'} the chance` }))),
        phone_e164: d.phone,
        model_version_id: 'logistic-v1',
        run_id: `nightly_call_list__${date}`,
      };
    });
    await knex.batchInsert('dialer.call_list', rows as Record<string, unknown>[], 300);
  }
}
