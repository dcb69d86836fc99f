import { MigrationInterface, QueryRunner } from 'typeorm';

/** The ledger: tenants, keys, contacts, campaigns, one message row per recipient, its events, and the global suppression list. */
export class InitialLedger1764000000000 implements MigrationInterface {
  name = 'InitialLedger1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // Time-ordered UUIDs (v7 layout): rows inserted together sit together in the index,
    // so batch updates by id touch neighbouring pages.
    await q.query(`
      CREATE OR REPLACE FUNCTION uuid_v7() RETURNS uuid AS $$
        SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
          PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
      $$ LANGUAGE sql VOLATILE`);

    await q.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        key_hash char(64) NOT NULL UNIQUE,
        prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant ON api_keys (tenant_id)`);

    await q.query(`
      CREATE TABLE contacts (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        external_id text,
        first_name text,
        last_name text,
        phone text,
        phone_e164 text,
        phone_type text,
        email text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX contacts_tenant_external ON contacts (tenant_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX contacts_tenant_id ON contacts (tenant_id, id)`);

    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'email')),
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft', 'queued', 'dispatching', 'completed', 'cancelled')),
        audience jsonb NOT NULL,
        content jsonb NOT NULL,
        execute_idempotency_key text,
        trace_parent text,
        release_at timestamptz,
        fanout_cursor uuid,
        fanout_done boolean NOT NULL DEFAULT false,
        status_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        executed_at timestamptz,
        dispatching_at timestamptz,
        completed_at timestamptz
      )`);
    await q.query(`CREATE INDEX campaigns_tenant_id ON campaigns (tenant_id, id)`);
    await q.query(`CREATE INDEX campaigns_active ON campaigns (status) WHERE status IN ('queued', 'dispatching')`);

    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL,
        campaign_id uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL,
        channel text NOT NULL,
        address text,
        status text NOT NULL,
        provider text,
        provider_message_id text,
        attempts integer NOT NULL DEFAULT 0,
        dispatch_seq integer NOT NULL DEFAULT 0,
        claimed_by text,
        claimed_until timestamptz,
        next_attempt_at timestamptz,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        final_at timestamptz,
        CONSTRAINT messages_campaign_contact UNIQUE (campaign_id, contact_id)
      )`);
    // One message per distinct address in a campaign; the extra ones are recorded as duplicate_address.
    await q.query(`CREATE UNIQUE INDEX messages_campaign_address ON messages (campaign_id, address) WHERE address IS NOT NULL AND status <> 'duplicate_address'`);
    await q.query(`CREATE INDEX messages_tenant_campaign_status ON messages (tenant_id, campaign_id, status, id)`);
    await q.query(`CREATE INDEX messages_tenant_campaign_id ON messages (tenant_id, campaign_id, id)`);
    await q.query(`CREATE INDEX messages_provider_id ON messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL`);
    await q.query(`CREATE INDEX messages_pending ON messages (updated_at) WHERE status IN ('queued', 'sending', 'deferred')`);

    await q.query(`
      CREATE TABLE message_events (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        message_id uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        status text NOT NULL,
        source text NOT NULL,
        provider_event_id text,
        payload jsonb,
        applied boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX message_events_provider_event ON message_events (source, provider_event_id) WHERE provider_event_id IS NOT NULL`);
    await q.query(`CREATE INDEX message_events_tenant_message ON message_events (tenant_id, message_id)`);

    // The one table without tenant_id: an address blocked for everyone (hard bounce, complaint, shared short code STOP).
    await q.query(`
      CREATE TABLE suppressions (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        channel text NOT NULL CHECK (channel IN ('sms', 'email')),
        address text NOT NULL,
        reason text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT suppressions_address UNIQUE (channel, address)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['suppressions', 'message_events', 'messages', 'campaigns', 'contacts', 'api_keys', 'tenants']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS uuid_v7()`);
  }
}
