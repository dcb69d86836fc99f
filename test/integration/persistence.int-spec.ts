import { Client } from 'pg';
import { createDataSource, ensureDatabase, migrate, MIGRATIONS, openLedger } from '@utskick/persistence';
import { dropDatabase, PG_BASE, uniqueNames } from '../support/test-env';

describe('the ledger schema', () => {
  const names = uniqueNames('persist');

  afterAll(async () => {
    await dropDatabase(names.dbName);
  });

  it('creates the database when missing and applies migrations once when services start together', async () => {
    const exists = async () => {
      const c = new Client({ connectionString: `${PG_BASE}/postgres` });
      await c.connect();
      const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [names.dbName]);
      await c.end();
      return r.rowCount === 1;
    };
    expect(await exists()).toBe(false);
    // Six services booting at once race for database creation and the migration lock.
    const sources = await Promise.all(Array.from({ length: 6 }, () => openLedger(names.databaseUrl, 2)));
    expect(await exists()).toBe(true);
    const applied = await sources[0].query('SELECT name FROM schema_migrations');
    expect(applied.map((r: { name: string }) => r.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    // A later start finds nothing to do.
    expect(await migrate(sources[1])).toEqual([]);
    await Promise.all(sources.map((s) => s.destroy()));
  });

  it('never synchronizes the schema from entities', () => {
    expect(createDataSource(names.databaseUrl).options.synchronize).toBe(false);
  });

  it('puts tenant_id on every table but the global suppression list, first in the tenant indexes', async () => {
    await ensureDatabase(names.databaseUrl);
    const c = new Client({ connectionString: names.databaseUrl });
    await c.connect();
    try {
      const tables = await c.query(
        `SELECT t.table_name, bool_or(c.column_name = 'tenant_id') AS has_tenant
           FROM information_schema.tables t JOIN information_schema.columns c USING (table_schema, table_name)
          WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name NOT IN ('schema_migrations')
          GROUP BY t.table_name ORDER BY t.table_name`,
      );
      const without = tables.rows.filter((r) => !r.has_tenant).map((r) => r.table_name);
      expect(without).toEqual(['suppressions', 'tenants']);
      const idx = await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%tenant_id%'`);
      for (const r of idx.rows) expect(r.indexdef).toMatch(/\(tenant_id[,)]/);
    } finally {
      await c.end();
    }
  });

  it('keeps one message per campaign and contact, and per campaign and address', async () => {
    const c = new Client({ connectionString: names.databaseUrl });
    await c.connect();
    try {
      const t = (await c.query(`INSERT INTO tenants (name) VALUES ('t') RETURNING id`)).rows[0].id;
      const camp = (await c.query(`INSERT INTO campaigns (tenant_id, name, channel, audience, content) VALUES ($1, 'c', 'sms', '{}', '{}') RETURNING id`, [t])).rows[0].id;
      const [k1, k2] = (await c.query(`INSERT INTO contacts (tenant_id) VALUES ($1), ($1) RETURNING id`, [t])).rows.map((r) => r.id);
      const insert = (contact: string, address: string, status = 'queued') =>
        c.query(`INSERT INTO messages (tenant_id, campaign_id, contact_id, channel, address, status) VALUES ($1, $2, $3, 'sms', $4, $5)`, [t, camp, contact, address, status]);
      await insert(k1, '+46701234567');
      await expect(insert(k1, '+46701111111')).rejects.toThrow(/messages_campaign_contact/);
      await expect(insert(k2, '+46701234567')).rejects.toThrow(/messages_campaign_address/);
      await expect(insert(k2, '+46701234567', 'duplicate_address')).resolves.toBeTruthy();
    } finally {
      await c.end();
    }
  });
});
