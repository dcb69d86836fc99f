import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export const PG_BASE = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A database name and stream prefix of this test run alone. */
export function uniqueNames(tag: string): { dbName: string; databaseUrl: string; prefix: string } {
  // NATS_PREFIX and database names take lower-case letters, digits and _ only.
  const id = `${tag.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  return { dbName: `utskick_t_${id}`, databaseUrl: `${PG_BASE}/utskick_t_${id}`, prefix: `t_${id}` };
}

export async function dropDatabase(dbName: string): Promise<void> {
  const c = new Client({ connectionString: `${PG_BASE}/postgres` });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

export async function deleteStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const s of jsm.streams.list()) names.push(s.config.name);
    for (const n of names.filter((n) => n.startsWith(`${prefix.toUpperCase()}_`))) await jsm.streams.delete(n);
  } finally {
    await nc.close();
  }
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
