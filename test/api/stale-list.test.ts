/**
 * A stale list through the API: once a night could not replace the published list, the list of
 * lists and the list itself say so (stale, since when, why) for the dashboard's banner; a new
 * publication clears it.
 */
import { markPublishedListStale, publishCallList } from '../../src/ranking';
import { FixedClock } from '../../src/core';
import { openTestApi, call, type TestApi } from './api-server';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
  const { listDate } = api.fixture;
  await api.database.db.knex('dialer.publications').insert({ list_date: listDate, run_id: 'night-1', candidates: 10, listed: 10, excluded: 0, deferred: 0, holdout: 0, expected_recovery: 100, published_at: '2026-11-24T01:30:00Z' });
});
afterAll(async () => api?.close());

test('the API shows a stale list with its reason until a new list is published', async () => {
  const { listDate, tokens } = api.fixture;
  const fresh = (await call(api, 'GET', '/api/call-lists', { token: tokens.agent })).json();
  expect(fresh[0]).toMatchObject({ listDate, stale: false, staleSince: null, staleReason: null });

  const at = new Date('2026-11-25T01:05:00Z');
  const mark = await markPublishedListStale(api.database.db, { upTo: '2026-11-25', reason: 'office_csv.debtors: no file matches debiteurs*.csv (export missing)', runId: 'night-2', at });
  expect(mark).toEqual({ listDate, staleSince: at });
  const lists = (await call(api, 'GET', '/api/call-lists', { token: tokens.agent })).json();
  expect(lists[0]).toMatchObject({ listDate, stale: true, staleSince: at.toISOString(), staleReason: expect.stringMatching(/no file matches/) });
  const list = (await call(api, 'GET', `/api/call-lists/${listDate}?limit=1`, { token: tokens.agent })).json();
  expect(list).toMatchObject({ listDate, stale: true, staleSince: at.toISOString() });
  expect(list.entries).toHaveLength(1);

  // A second failed night keeps the first night as the start of the staleness.
  await markPublishedListStale(api.database.db, { upTo: '2026-11-26', reason: 'office_csv: folder missing', runId: 'night-3', at: new Date('2026-11-26T01:05:00Z') });
  const again = (await call(api, 'GET', `/api/call-lists/${listDate}?limit=1`, { token: tokens.agent })).json();
  expect(again).toMatchObject({ stale: true, staleSince: at.toISOString(), staleReason: 'office_csv: folder missing' });

  // The next good night publishes a list (even an empty one): the earlier list is not stale any more.
  await publishCallList(api.database.db, { listDate: '2026-11-27', runId: 'night-4', modelVersionId: 'logistic-v1', settleShare: 0, candidates: 0, rows: [], exclusions: [], deferred: [], holdout: [] }, new FixedClock('2026-11-27T01:30:00Z'));
  const cleared = (await call(api, 'GET', `/api/call-lists/${listDate}?limit=1`, { token: tokens.agent })).json();
  expect(cleared).toMatchObject({ stale: false, staleSince: null, staleReason: null });
  const rows = (await api.database.db.knex('dialer.call_list').where({ list_date: listDate, stale: true }).count({ n: '*' })) as { n: unknown }[];
  expect(Number(rows[0]?.n)).toBe(0);
});
