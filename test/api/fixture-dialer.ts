/**
 * Seeds a published call list (dialer.call_list) for the API tests: two teams, ranked by expected recovery, with a
 * calling window and the reasons of the explanation.
 */
import type { Knex } from 'knex';
import type { Contribution } from '../../src/api/scoring/scorer';
import { catalogue } from '../../src/api/i18n';

const FEATURES_FR = (catalogue('fr').common?.features ?? {}) as Record<string, string>;

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
        expected_amount: Math.round(d.balance * 0.3 * 100) / 100,
        amount_basis: 'balance_share',
        p_contact: 0.35 + (rank % 5) / 20,
        expected_recovery: Math.round(d.ev * 100) / 100,
        expected_minutes: 6,
        priority: Math.round((d.ev / 6) * 100) / 100,
        balance: d.balance,
        time_zone: 'Europe/Paris',
        window_start: `${date}T${String(hour).padStart(2, '0')}:00:00+01:00`,
        window_end: `${date}T${String(hour + 1).padStart(2, '0')}:00:00+01:00`,
        reasons: JSON.stringify(d.contributions.slice(0, 3).map((c) => ({ feature: c.feature, contribution: c.contribution, fr: `${FEATURES_FR[c.feature] ?? c.feature} : ${c.contribution >= 0 ? 'augmente' : 'diminue'} la probabilité de payer`, en: `${c.feature.replace(/_/g, ' ')} ${c.contribution >= 0 ? 'raises' : 'lowers'} the chance`, text: `${c.feature.replace(/_/g, ' ')} ${c.contribution >= 0 ? 'raises' : 'lowers'} the chance` }))),
        phone_e164: d.phone,
        model_version_id: 'logistic-v1',
        run_id: `nightly_call_list__${date}`,
      };
    });
    await knex.batchInsert('dialer.call_list', rows as Record<string, unknown>[], 300);
  }
}
