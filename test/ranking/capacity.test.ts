import { fitToCapacity, inPortfolio, teamCapacityMinutes, teamHourlyCapacity, windowHourShares } from '../../src/ranking/capacity';

describe('capacity', () => {
  it('gives a team agents × working minutes × occupancy', () => {
    expect(teamCapacityMinutes({ agents: 6, hours: '09:00-18:00', occupancy: 0.8 })).toBeCloseTo(6 * 540 * 0.8, 9);
  });

  it('matches portfolios on every listed dimension', () => {
    const facts = { officeCode: 'ETU01', creditors: ['BANQUE'], legalStages: ['amicable'] };
    expect(inPortfolio({ portfolio: {} }, facts)).toBe(true);
    expect(inPortfolio({ portfolio: { offices: ['ETU01'] } }, facts)).toBe(true);
    expect(inPortfolio({ portfolio: { offices: ['ETU02'] } }, facts)).toBe(false);
    expect(inPortfolio({ portfolio: { offices: ['ETU01'], legalStages: ['seizure'] } }, facts)).toBe(false);
    expect(inPortfolio({ portfolio: { creditors: ['TELECOM', 'BANQUE'] } }, facts)).toBe(true);
  });

  it('fills each team in priority order, defers what does not fit, and lets a smaller call use the rest', () => {
    const items = [
      { key: 'a', options: [{ teamId: 't1', priority: 10, minutes: 4 }] },
      { key: 'b', options: [{ teamId: 't1', priority: 9, minutes: 4 }] },
      { key: 'c', options: [{ teamId: 't1', priority: 8, minutes: 1 }] },
      { key: 'd', options: [{ teamId: 't1', priority: 7, minutes: 1 }, { teamId: 't2', priority: 6, minutes: 1 }] },
      { key: 'e', options: [{ teamId: 't2', priority: 5, minutes: 2 }] },
    ];
    const fit = fitToCapacity(items, new Map([['t1', 6], ['t2', 2]]), ['t1', 't2']);
    expect(fit.assigned.map((a) => [a.key, a.teamId, a.rank])).toEqual([
      ['a', 't1', 1],
      ['c', 't1', 2],
      ['d', 't1', 3],
      ['e', 't2', 1],
    ]);
    expect(fit.deferred.map((d) => [d.key, d.option.teamId, d.reason])).toEqual([['b', 't1', 'capacity']]);
    expect(fit.cutoff.get('t1')).toBe(9);
    expect(fit.cutoff.get('t2')).toBe(-Infinity);
    expect(fit.usage.get('t1')).toEqual({ used: 6, capacity: 6 });
  });

  it('sends a debtor to its second team when the first is full, and breaks ties by key', () => {
    const items = [
      { key: 'y', options: [{ teamId: 't1', priority: 5, minutes: 2 }] },
      { key: 'x', options: [{ teamId: 't1', priority: 5, minutes: 2 }, { teamId: 't2', priority: 4, minutes: 2 }] },
    ];
    const fit = fitToCapacity(items, new Map([['t1', 2], ['t2', 2]]), ['t1', 't2']);
    // Equal priority: x comes first by key and takes t1; y has only t1 and is deferred.
    expect(fit.assigned.map((a) => [a.key, a.teamId])).toEqual([['x', 't1']]);
    expect(fit.deferred.map((d) => d.key)).toEqual(['y']);
    // With t1 taken by a higher priority, x moves to t2.
    const fit2 = fitToCapacity([{ ...items[0]!, options: [{ teamId: 't1', priority: 9, minutes: 2 }] }, items[1]!], new Map([['t1', 2], ['t2', 2]]), ['t1', 't2']);
    expect(fit2.assigned.map((a) => [a.key, a.teamId])).toEqual([['y', 't1'], ['x', 't2']]);
  });

  it('spreads calls over the day when the best hours are full', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 10, 24, h));
    const hour = (h: number) => at(h).getTime() / 3600000;
    // One agent, fully occupied, 08:00-10:00 UTC: 60 minutes in each hour.
    const hourly = teamHourlyCapacity({ agents: 1, occupancy: 1 }, { start: at(8), end: at(10) });
    expect([...hourly]).toEqual([[hour(8), 60], [hour(9), 60]]);
    expect(windowHourShares({ start: new Date(Date.UTC(2026, 10, 24, 8, 30)), end: at(10) })).toEqual([{ hour: hour(8), share: 1 / 3 }, { hour: hour(9), share: 2 / 3 }]);
    // Everyone answers best at 8h; each call takes 20 minutes.
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key, i) => ({
      key,
      options: [
        { teamId: 't', priority: 10 - i, minutes: 20, ref: 0, hours: [{ hour: hour(8), share: 1 }] },
        { teamId: 't', priority: 8 - i, minutes: 20, ref: 1, hours: [{ hour: hour(9), share: 1 }] },
      ],
    }));
    const fit = fitToCapacity(items, new Map([['t', 120]]), ['t'], new Map([['t', hourly]]));
    expect(fit.assigned.map((a) => [a.key, a.option.ref])).toEqual([['a', 0], ['b', 0], ['c', 0], ['d', 1], ['e', 1], ['f', 1]]);
    expect(fit.deferred.map((d) => d.key)).toEqual(['g']);
  });
});
