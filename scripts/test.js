#!/usr/bin/env node
/**
 * Runs the jest suite. Probes Postgres, Redis and MariaDB first: a service that cannot be reached
 * has its tests skipped, announced in one loud line. Under CI (CI=true) nothing may be skipped.
 * Extra arguments go to jest (`npm test -- test/model`).
 */
'use strict';
const net = require('node:net');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

function endpoint(url, fallbackPort) {
  try {
    const u = new URL(url);
    return { host: u.hostname || '127.0.0.1', port: Number(u.port) || fallbackPort };
  } catch {
    return { host: '127.0.0.1', port: fallbackPort };
  }
}

function reachable({ host, port }, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function main() {
  const env = { ...process.env };
  env.DATABASE_URL = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  env.REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
  env.MARIADB_URL = env.MARIADB_URL || 'mysql://root@127.0.0.1:3306/test';
  const services = {
    postgres: await reachable(endpoint(env.DATABASE_URL, 5432)),
    redis: await reachable(endpoint(env.REDIS_URL, 6379)),
    mariadb: await reachable(endpoint(env.MARIADB_URL, 3306)),
  };
  const missing = Object.entries(services).filter(([, ok]) => !ok).map(([name]) => name);
  if (missing.length > 0) {
    if (process.env.CI === 'true') {
      console.error(`!!! CI: ${missing.join(', ')} unreachable; under CI no test may be skipped.`);
      process.exit(1);
    }
    console.error(`!!! SKIPPING every test that needs ${missing.join(', ')}: unreachable (DATABASE_URL / REDIS_URL / MARIADB_URL). The rest runs on PGlite.`);
  }
  env.RELANCE_TEST_POSTGRES = services.postgres ? '1' : '0';
  env.RELANCE_TEST_REDIS = services.redis ? '1' : '0';
  env.RELANCE_TEST_MARIADB = services.mariadb ? '1' : '0';
  env.TZ = 'UTC';
  env.NODE_OPTIONS = [env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings'].filter(Boolean).join(' ');
  const jest = path.join(__dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
  const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(result.status ?? 1);
}

main();
