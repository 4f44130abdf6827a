import { FixedClock } from '../../src/core/clock';
import { engines } from '../helpers/db';
import { PgRunStore, runDag } from '../../src/orchestrator';
import { behaviourSuite, createSuiteTable, type Harness, type SuiteResources } from './behaviour-suite';

describe.each(engines)('inline executor on $name', ({ open }) => {
  behaviourSuite(async (): Promise<Harness> => {
    const test = await open();
    await createSuiteTable(test.db);
    const store = new PgRunStore(test.db);
    const clock = new FixedClock('2026-03-12T00:00:00Z');
    const sleeps: number[] = [];
    const resources: SuiteResources = { db: test.db, events: [], tries: new Map(), close: async () => undefined };
    return {
      store,
      resources,
      run: (dag, options) => runDag(dag, { ...options, resources, store, clock, sleep: async (ms) => { sleeps.push(ms); clock.advance(ms); } }),
      close: () => test.close(),
    };
  });
});
