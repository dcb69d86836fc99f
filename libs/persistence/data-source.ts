import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/entities';
import { InitialLedger1764000000000 } from './migrations/1764000000000-initial-ledger';
import { SmsDoneRight1765000000000 } from './migrations/1765000000000-sms-done-right';
import { EmailDoneRight1766000000000 } from './migrations/1766000000000-email-done-right';
import { SendingDomainVerification1767000000000 } from './migrations/1767000000000-sending-domain-verification';

export const MIGRATIONS = [InitialLedger1764000000000, SmsDoneRight1765000000000, EmailDoneRight1766000000000, SendingDomainVerification1767000000000];

/** Arbitrary constant key of the advisory lock that serialises migrations across services starting together. */
const MIGRATION_LOCK_KEY = 7_301_944_201;

export function createDataSource(databaseUrl: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: process.env.SERVICE_NAME ?? 'utskick' },
  });
}

/** Creates the database named in the URL when it does not exist (connecting to the `postgres` maintenance database). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`DATABASE_URL: unsupported database name "${name}"`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    // Services starting together serialise here, so only one of them issues CREATE DATABASE.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
  } finally {
    await client.end();
  }
}

/**
 * Applies pending migrations while holding a session-level advisory lock on one dedicated
 * connection, so services that start together run them once, in order.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

/** Database creation, connection and migration: what every service does at start-up. */
export async function openLedger(databaseUrl: string, poolSize = 10): Promise<DataSource> {
  await ensureDatabase(databaseUrl);
  const ds = createDataSource(databaseUrl, poolSize);
  await ds.initialize();
  await migrate(ds);
  return ds;
}
