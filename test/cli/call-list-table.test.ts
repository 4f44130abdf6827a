/**
 * `relance call-list` prints its table in the office's locale: French headers and `1 234 €`,
 * `31 %`, `04/12/2026` by default (config `locale: fr-FR`), English with `en-GB`; the window is in
 * the debtor's own time zone.
 */
import { callListTable, callListText, type ListRow } from '../../src/cli/commands/call-list';
import { localeFormats } from '../../src/cli/format-table';

const rows: ListRow[] = [
  { rank: 1, team_id: 'equipe-1', debtor_id: 'D00001', phone_e164: '+33612345678', balance: 1234.56, p_pay: 0.312, expected_recovery: 12345.4, window_start: new Date('2026-12-04T14:00:00Z'), window_end: new Date('2026-12-04T16:00:00Z'), time_zone: 'America/Guadeloupe', reasons: [{ fr: 'paiement de 120 € il y a 12 jours', en: 'payment of €120 12 days ago' }] },
];
const pub = { listed: 1234, excluded: 56, deferred: 7, holdout: 8, model_version_id: 'gbdt-v3' };
const nbsp = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('call-list table in the office locale', () => {
  test('fr-FR: French title, headers and formats; the window in the debtor time zone', () => {
    const lines = nbsp(callListTable(rows, pub, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' })).split('\n');
    expect(lines[0]).toBe("Liste d'appels du 04/12/2026 — 1 234 à appeler, 56 écartés par les règles, 7 reportés (capacité), 8 en groupe témoin ; modèle gbdt-v3");
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['rang', 'équipe', 'débiteur', 'téléphone', 'solde', 'chance de paiement', 'recouvrement attendu', 'créneau', 'motif principal']);
    const cells = lines[3]!.trim().split(/\s{2,}/);
    expect(cells).toEqual(['1', 'equipe-1', 'D00001', '+336••••••78', '1 235 €', '31 %', '12 345 €', '10:00-12:00', 'paiement de 120 € il y a 12 jours']);
  });

  test('en-GB: English headers, €1,235 and the English reason', () => {
    const lines = callListTable(rows, undefined, { listDate: '2026-12-04', locale: 'en-GB', masked: false, officeTimeZone: 'Europe/Paris' }).split('\n');
    expect(lines[0]).toBe('Call list of 04/12/2026');
    expect(lines[3]!.trim().split(/\s{2,}/)).toEqual(['1', 'equipe-1', 'D00001', '+33612345678', '€1,235', '31%', '€12,345', '10:00-12:00', 'payment of €120 12 days ago']);
  });

  test('a stale list says so in the office language', () => {
    const stale = { ...pub, stale: true, stale_since: '2026-12-05T01:30:00Z', stale_reason: 'extract_debtors: no drop file' };
    const lines = callListTable(rows, stale, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' }).split('\n');
    expect(lines[1]).toBe("PÉRIMÉE depuis le 05/12/2026 02:30 : aucune liste plus récente n'a pu être publiée (extract_debtors: no drop file)");
  });

  test('a list ordered by what the call adds says so, shows the amount the call adds and why the call matters first', () => {
    const upliftRows: ListRow[] = [{ ...rows[0]!, incremental_recovery: 432.1, call_reasons: JSON.stringify([{ fr: 'a tenu 3 promesses faites au téléphone', en: 'kept 3 promises made on the phone' }]) }];
    const byUplift = { ...pub, objective: 'uplift', note: null };
    const fr = nbsp(callListTable(upliftRows, byUplift, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' })).split('\n');
    expect(fr[1]).toMatch(/^Classée par ce que l'appel apporte/);
    expect(fr[2]!.split(/\s{2,}/)).toEqual(['rang', 'équipe', 'débiteur', 'téléphone', 'solde', 'chance de paiement', 'recouvrement attendu', "apport de l'appel", 'créneau', 'motif principal']);
    expect(fr[4]!.trim().split(/\s{2,}/)).toEqual(['1', 'equipe-1', 'D00001', '+336••••••78', '1 235 €', '31 %', '12 345 €', '432 €', '10:00-12:00', 'a tenu 3 promesses faites au téléphone']);
    const en = callListTable(upliftRows, byUplift, { listDate: '2026-12-04', locale: 'en-GB', masked: true, officeTimeZone: 'Europe/Paris' }).split('\n');
    expect(en[4]!.trim().split(/\s{2,}/).slice(-3)).toEqual(['€432', '10:00-12:00', 'kept 3 promises made on the phone']);
  });

  test('a list that fell back to the propensity ordering says why, in the office language', () => {
    const fallback = { ...pub, objective: 'propensity', note: "Liste classée par probabilité de paiement : aucun modèle.\nList ordered by the chance of payment: no model." };
    const fr = callListTable(rows, fallback, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' }).split('\n');
    expect(fr[1]).toBe('Classée par chance de paiement × montant attendu — Liste classée par probabilité de paiement : aucun modèle.');
    expect(fr[2]).not.toMatch(/apport/);
    const en = callListTable(rows, fallback, { listDate: '2026-12-04', locale: 'en-GB', masked: true, officeTimeZone: 'Europe/Paris' }).split('\n');
    expect(en[1]).toBe('Ordered by chance of paying × expected amount — List ordered by the chance of payment: no model.');
  });

  test('a published list without a row to call says it is empty and why, not that nothing was published', () => {
    const empty = { ...pub, listed: 0, excluded: 1200, deferred: 0, holdout: 0 };
    const fr = nbsp(callListText([], empty, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' })).split('\n');
    expect(fr).toEqual([
      "Liste d'appels du 04/12/2026 — 0 à appeler, 1 200 écartés par les règles, 0 reportés (capacité), 0 en groupe témoin ; modèle gbdt-v3",
      "liste publiée sans aucun débiteur à appeler : les exclusions et les reports sont détaillés sur l'écran du responsable du tableau de bord",
    ]);
    const en = callListText([], empty, { listDate: '2026-12-04', locale: 'en-GB', masked: true, officeTimeZone: 'Europe/Paris' }).split('\n');
    expect(en[1]).toBe("the list was published with no debtor to call: the exclusions and deferrals are detailed on the dashboard's lead screen");
    // a team with no row in a list that has some
    expect(nbsp(callListText([], pub, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris', team: 'equipe-2' })).split('\n')[1]).toBe("aucun débiteur de l'équipe equipe-2 dans cette liste");
    // nothing published at all
    expect(callListText([], undefined, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' })).toBe("aucune liste d'appels publiée pour le 04/12/2026");
    // rows: the table
    expect(callListText(rows, pub, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' })).toBe(callListTable(rows, pub, { listDate: '2026-12-04', locale: 'fr-FR', masked: true, officeTimeZone: 'Europe/Paris' }));
  });

  test('locale formats: dates are calendar days, never shifted by a time zone', () => {
    expect(localeFormats('fr-FR').date('2026-01-01')).toBe('01/01/2026');
    expect(nbsp(localeFormats('fr-FR').number(1234567.891, 2))).toBe('1 234 567,89');
  });
});
