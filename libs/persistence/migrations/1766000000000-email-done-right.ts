import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail done right: address status per tenant (double opt-in and problems), sending domains with
 * their DKIM keys, layouts, and what a global suppression came from.
 */
export class EmailDoneRight1766000000000 implements MigrationInterface {
  name = 'EmailDoneRight1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN require_confirmed_email boolean NOT NULL DEFAULT false`);

    // No row means Unconfirmed: a changed address is a new key, so it starts over.
    await q.query(`
      CREATE TABLE email_addresses (
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        address text NOT NULL,
        status text NOT NULL DEFAULT 'unconfirmed'
          CHECK (status IN ('unconfirmed', 'confirmation_requested', 'confirmed', 'problem')),
        problem text CHECK (problem IN ('bounced', 'spam', 'unsubscribed', 'blocked', 'invalid')),
        problem_source text,
        confirmation_requested_at timestamptz,
        confirmed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, address),
        CHECK ((status = 'problem') = (problem IS NOT NULL))
      )`);

    // A domain belongs to one tenant; its DKIM private key is stored encrypted (DOMAIN_KEY_SECRET).
    await q.query(`
      CREATE TABLE sending_domains (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        domain text NOT NULL,
        dkim_selector text NOT NULL,
        dkim_public_key text NOT NULL,
        dkim_private_key_enc text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX sending_domains_domain ON sending_domains (lower(domain))`);
    await q.query(`CREATE INDEX sending_domains_tenant ON sending_domains (tenant_id, id)`);

    await q.query(`
      CREATE TABLE email_layouts (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        html text,
        text text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX email_layouts_tenant ON email_layouts (tenant_id, id)`);

    // What a global entry rests on: the status code or provider label, shown to tenants without the tenant.
    await q.query(`ALTER TABLE suppressions ADD COLUMN detail text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE suppressions DROP COLUMN IF EXISTS detail`);
    for (const t of ['email_layouts', 'sending_domains', 'email_addresses']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`ALTER TABLE tenants DROP COLUMN IF EXISTS require_confirmed_email`);
  }
}
