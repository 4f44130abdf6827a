import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';

function writeYaml(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'relance-config-')), 'relance.yaml');
  writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  test('the shipped config/relance.yaml is valid and gives the documented defaults', () => {
    const config = loadConfig({ env: {}, cwd: path.resolve(__dirname, '../..') });
    expect(config.timezone).toBe('Europe/Paris');
    expect(config.dags.nightly_call_list?.schedule).toBe('0 2 * * *');
    expect(config.scoring.costs).toEqual({ missedPayer: 10, wastedCall: 1 });
    expect(config.database.url).toBeUndefined();
  });

  test('an empty file still gives a complete configuration', () => {
    const config = loadConfig({ file: writeYaml(''), env: {} });
    expect(config.ranking.holdout.share).toBe(0.05);
    expect(config.api.port).toBe(8080);
    expect(config.scoring.horizonDays).toBe(30);
    expect(config.backfill.confirmAbove).toBe(31);
  });

  test('environment variables override the file', () => {
    const config = loadConfig({
      file: writeYaml('api:\n  port: 9000\n'),
      env: { DATABASE_URL: 'postgres://u@h/db', REDIS_URL: 'redis://h:6380', RELANCE_API_PORT: '9100' },
    });
    expect(config.database.url).toBe('postgres://u@h/db');
    expect(config.redis.url).toBe('redis://h:6380');
    expect(config.api.port).toBe(9100);
  });

  test('the result is deeply frozen', () => {
    const config = loadConfig({ file: writeYaml(''), env: {} });
    expect(Object.isFrozen(config.scoring.costs)).toBe(true);
    expect(() => {
      (config.scoring.costs as { missedPayer: number }).missedPayer = 1;
    }).toThrow(TypeError);
  });

  test('a bad value fails with the path and what was expected', () => {
    const file = writeYaml('dags:\n  nightly_call_list:\n    retries: -1\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(/dags\.nightly_call_list\.retries: .*(>=0|non-negative|greater than or equal to 0)/i);
    expect(() => loadConfig({ file: writeYaml('dags:\n  x:\n    deadline: "7h30"\n'), env: {} })).toThrow(/dags\.x\.deadline: must be a time HH:MM/);
    expect(() => loadConfig({ file: writeYaml('backfill:\n  confirmAbove: -1\n'), env: {} })).toThrow(/backfill\.confirmAbove: .*(>=0|non-negative|greater than or equal to 0)/i);
    expect(() => loadConfig({ file: writeYaml('timezone: 3\nunknownKey: 1\n'), env: {} })).toThrow(/timezone/);
    expect(() => loadConfig({ file: writeYaml('api:\n  port: 8080\n'), env: { RELANCE_API_PORT: 'eighty' } })).toThrow(/RELANCE_API_PORT must be a number/);
  });

  test('unknown top-level keys are refused, naming the key', () => {
    expect(() => loadConfig({ file: writeYaml('sourcez: []\n'), env: {} })).toThrow(/sourcez|Unrecognized key/);
  });
});
