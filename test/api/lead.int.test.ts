/**
 * The lead's morning view, the accent- and case-blind search and the French CSV, on Postgres and
 * on embedded PGlite: the composition adds up to what was seeded, the calendar keeps empty dates
 * and says why, a failed night makes the list stale, progress counts the day's calls per agent.
 */
import { describeIfPostgres } from '../helpers/services';
import { openTestApi, call, type TestApi } from './api-server';
import { seedLeadDay, type LeadFixture } from './fixture-lead';

/** RFC 4180 records (quoted fields, doubled quotes, CRLF) as objects keyed by the header row. */
function parse(text: string, options: { delimiter?: string; columns: true }): Record<string, string>[] {
  const d = options.delimiter ?? ',';
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === d) record.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field), records.push(record), (record = []), (field = ''), i++;
    } else field += c;
  }
  if (field || record.length) record.push(field), records.push(record);
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

for (const engine of ['pglite', 'postgres'] as const) {
  const describeEngine = engine === 'postgres' ? describeIfPostgres : describe;
  describeEngine(`lead view, search and CSV on ${engine}`, () => {
    let api: TestApi;
    let lead: LeadFixture;
    let date: string;
    beforeAll(async () => {
      api = await openTestApi({ engine, n: 60 });
      date = api.fixture.listDate;
      lead = await seedLeadDay(api.database.db.knex, date);
    }, 60_000);
    afterAll(async () => api?.close());

    const get = async (url: string, role: 'lead' | 'agent' | 'it' | 'analyst' = 'lead') => {
      const res = await call(api, 'GET', url, { token: api.fixture.tokens[role] });
      expect([url, res.status]).toEqual([url, 200]);
      return res;
    };

    test('search ignores accents and case both ways', async () => {
      const names = async (q: string) => ((await get(`/api/call-lists/${date}?q=${encodeURIComponent(q)}&limit=50`)).json().entries as { name: string }[]).map((e) => e.name).sort();
      expect(await names('frederic')).toEqual(['Frederic Anaïs', 'Lefèvre Frédéric']);
      expect(await names('FRÉDÉRIC')).toEqual(['Frederic Anaïs', 'Lefèvre Frédéric']);
      expect(await names('lefevre')).toEqual(['Lefèvre Frédéric']);
      expect(await names('ANAIS')).toEqual(['Frederic Anaïs']);
      expect((await get(`/api/call-lists/${date}?q=frederic&limit=1`)).json().total).toBe(2);
    });

    test('the composition adds up: listed, excluded by rule with the debtors, deferred, control group', async () => {
      const body = (await get(`/api/lead/${date}`)).json();
      const listed = (await get(`/api/call-lists/${date}?limit=1`)).json().total;
      expect(body.composition.listed).toBe(listed);
      expect(body.composition.excluded).toBe(new Set(Object.values(lead.excludedByRule).flat()).size);
      expect(Object.fromEntries(body.composition.byRule.map((r: { rule: string; debtors: number }) => [r.rule, r.debtors]))).toEqual(Object.fromEntries(Object.entries(lead.excludedByRule).map(([k, v]) => [k, v.length])));
      expect([body.composition.deferred, body.composition.deferredForCapacity, body.composition.deferredNoTeam]).toEqual([4, 3, 1]);
      expect([body.composition.holdout, body.composition.holdoutWouldBeListed]).toEqual([3, 2]);
      expect(body.candidates).toBe(listed + 6 + 4 + 3);
      expect(body.stale).toBe(false);

      const dnc = (await get(`/api/lead/${date}/exclusions?rule=do_not_call`)).json();
      expect(dnc.entries.map((e: { debtorId: string }) => e.debtorId).sort()).toEqual(lead.excludedByRule.do_not_call);
      expect(dnc.total).toBe(2);
      const byName = (await get(`/api/lead/${date}/exclusions?q=${encodeURIComponent('HELENE')}`)).json();
      expect(byName.entries.map((e: { rule: string }) => e.rule).sort()).toEqual(['do_not_call', 'frequency_cap']);
    });

    test("today's progress per agent from the day's calls and promises", async () => {
      const body = (await get(`/api/lead/${date}`)).json();
      const seeded = Object.fromEntries(body.progress.agents.filter((a: { agent: string }) => a.agent in lead.calls).map((a: { agent: string; calls: number; contacts: number; promises: number; promisedAmount: number }) => [a.agent, { calls: a.calls, contacts: a.contacts, promises: a.promises, promised: a.promisedAmount }]));
      expect(seeded).toEqual(lead.calls);
    });

    test('the calendar keeps weekends and holidays, says why they are empty, and a failed night makes the list stale', async () => {
      const days = (await get(`/api/lead/days?to=${lead.failedDate}&days=16`)).json() as { listDate: string; listed: number; emptyReason: string | null; holiday: string | null; stale: boolean; staleReason: string | null }[];
      expect(days).toHaveLength(16);
      expect(days[0]!.listDate).toBe(lead.failedDate);
      const on = (d: string) => days.find((x) => x.listDate === d)!;
      expect(on(lead.failedDate)).toMatchObject({ listed: 0, emptyReason: 'run_failed', stale: true, staleReason: 'run_failed' });
      expect(on('2026-11-22')).toMatchObject({ listed: 0, emptyReason: 'weekend', stale: false });
      expect(on('2026-11-21')).toMatchObject({ emptyReason: 'weekend' });
      expect(on('2026-11-11')).toMatchObject({ emptyReason: 'holiday', holiday: 'Armistice 1918' });
      expect(on(date).listed).toBeGreaterThan(0);
      expect(on(date).emptyReason).toBeNull();

      const failed = (await get(`/api/lead/${lead.failedDate}`)).json();
      expect(failed).toMatchObject({ stale: true, staleReason: 'run_failed', workingFrom: date, run: { state: 'failed' } });
    });

    test('a publication marked stale (dialer.publications.stale, where the freshness check adds it) flags its list', async () => {
      const knex = api.database.db.knex;
      await knex.raw('alter table dialer.publications add column if not exists stale boolean not null default false');
      await knex('dialer.publications').where({ list_date: date }).update({ stale: true });
      try {
        // The failed night after it has no list: the marked list is the one the team works from.
        const marked = (await get(`/api/lead/${date}`)).json();
        expect(marked).toMatchObject({ stale: true, staleReason: 'marked', workingFrom: date });
        const days = (await get(`/api/lead/days?to=${date}&days=2`)).json() as { listDate: string; staleReason: string | null }[];
        expect(days[0]).toMatchObject({ listDate: date, staleReason: 'marked' });
      } finally {
        await knex('dialer.publications').where({ list_date: date }).update({ stale: false });
      }
    });

    test('the lead view is for staff: an agent is refused', async () => {
      expect((await call(api, 'GET', `/api/lead/${date}`, { token: api.fixture.tokens.agent })).status).toBe(403);
    });

    test('CSV in French: BOM, ";", decimal comma, French headers, balance, local times; English with lang=en', async () => {
      const fr = await get(`/api/call-lists/${date}/export.csv?q=frederic`, 'agent');
      expect(fr.headers.get('content-disposition')).toContain(`liste-appels-${date}.csv`);
      // fetch's text() drops a byte-order mark: read the bytes.
      const bytes = Buffer.from(await (await fetch(`${api.baseUrl}/api/call-lists/${date}/export.csv?q=frederic`, { headers: { authorization: `Bearer ${api.fixture.tokens.agent}` } })).arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parse(fr.text, { delimiter: ';', columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(2);
      const frederic = rows.find((r) => r['Nom'] === 'Lefèvre Frédéric')!;
      expect(frederic['Solde (€)']).toBe('1234,56');
      expect(frederic['Date de la liste']).toBe('24/11/2026');
      // 14:00 UTC is 10:00 in Guadeloupe (UTC−4), the debtor's zone.
      expect(frederic['Début du créneau']).toBe('24/11/2026 10:00');
      expect(frederic['Fuseau horaire']).toBe('America/Guadeloupe');
      expect(frederic['Chance de paiement (%)']).toBe('31,0');
      expect(frederic['Pourquoi']).toBe('2 paiements ces 90 derniers jours');
      // What the call adds and why it matters, as the list ranks by it.
      expect(frederic["Apport de l'appel (€)"]).toBe('5,76');
      expect(frederic['Chance de paiement si appelé (%)']).toBe('42,0');
      expect(frederic['Chance de paiement sans appel (%)']).toBe('18,0');
      expect(frederic["Pourquoi l'appel compte"]).toBe('a tenu 2 promesses faites au téléphone');
      expect(frederic['Téléphone']).toMatch(/^\+336\d{8}$/);

      const en = await get(`/api/call-lists/${date}/export.csv?q=frederic&lang=en`, 'agent');
      const enRows = parse(en.text, { columns: true }) as Record<string, string>[];
      expect(Object.keys(enRows[0]!)).toContain('Balance (€)');
      expect(enRows.find((r) => r['Name'] === 'Lefèvre Frédéric')!['Balance (€)']).toBe('1234.56');
      expect(enRows.find((r) => r['Name'] === 'Lefèvre Frédéric')!['Why the call matters']).toBe('kept 2 promises made on the phone');
      expect(en.headers.get('content-disposition')).toContain(`call-list-${date}.csv`);
    });
  });
}
