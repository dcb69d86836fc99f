import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SMS done right: tenant SMS settings and credit balance, senders, address books, scoped
 * opt-outs, a credit history, per-message rendered body / parts / cost, and inbound SMS.
 */
export class SmsDoneRight1765000000000 implements MigrationInterface {
  name = 'SmsDoneRight1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE tenants
        ADD COLUMN default_country char(2) NOT NULL DEFAULT 'SE',
        ADD COLUMN locale text NOT NULL DEFAULT 'sv' CHECK (locale IN ('sv', 'en', 'fr')),
        ADD COLUMN sms_provider text NOT NULL DEFAULT 'twilio' CHECK (sms_provider IN ('twilio', '46elks')),
        -- Integer minor units; the CHECK is the last line against overspending.
        ADD COLUMN sms_balance bigint NOT NULL DEFAULT 0 CHECK (sms_balance >= 0),
        ADD COLUMN sms_text_cap integer CHECK (sms_text_cap BETWEEN 1 AND 1600),
        ADD COLUMN sms_max_parts integer NOT NULL DEFAULT 10 CHECK (sms_max_parts BETWEEN 1 AND 20),
        ADD COLUMN opt_out_texts jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN help_text text`);

    await q.query(`
      CREATE TABLE senders (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('alphanumeric', 'short_code', 'reply_number')),
        value text NOT NULL,
        keyword text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'short_code') = (keyword IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX senders_tenant_value ON senders (tenant_id, value)`);
    // A reply number belongs to one tenant; a shared short code is told apart by its keyword.
    await q.query(`CREATE UNIQUE INDEX senders_reply_number ON senders (value) WHERE kind = 'reply_number'`);
    await q.query(`CREATE UNIQUE INDEX senders_short_code_keyword ON senders (value, upper(keyword)) WHERE kind = 'short_code'`);

    await q.query(`
      CREATE TABLE address_books (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name text NOT NULL,
        sender_id uuid REFERENCES senders(id) ON DELETE SET NULL,
        opt_out_text boolean NOT NULL DEFAULT true,
        marketing boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX address_books_tenant_id ON address_books (tenant_id, id)`);
    await q.query(`
      CREATE TABLE address_book_contacts (
        tenant_id uuid NOT NULL,
        book_id uuid NOT NULL REFERENCES address_books(id) ON DELETE CASCADE,
        contact_id uuid NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (book_id, contact_id)
      )`);
    await q.query(`CREATE INDEX address_book_contacts_tenant ON address_book_contacts (tenant_id, book_id, contact_id)`);

    // Book scope (book_id set) or tenant scope (book_id NULL); the global list stays in suppressions.
    await q.query(`
      CREATE TABLE opt_outs (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('sms', 'email')),
        address text NOT NULL,
        book_id uuid REFERENCES address_books(id) ON DELETE CASCADE,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX opt_outs_scope ON opt_outs (tenant_id, channel, address, COALESCE(book_id, '00000000-0000-0000-0000-000000000000'::uuid))`);

    // Global entries from a STOP to the shared short code: tagged with the book of the last message,
    // and remembered as that number's own (its START lifts it).
    await q.query(`ALTER TABLE suppressions ADD COLUMN book_id uuid, ADD COLUMN created_by_address text`);

    await q.query(`
      CREATE TABLE credit_transactions (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('top_up', 'reservation', 'refund')),
        amount bigint NOT NULL,
        balance_after bigint NOT NULL,
        campaign_id uuid,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX credit_transactions_tenant ON credit_transactions (tenant_id, id)`);
    await q.query(`CREATE UNIQUE INDEX credit_transactions_refund_once ON credit_transactions (campaign_id) WHERE kind = 'refund'`);

    await q.query(`
      ALTER TABLE campaigns
        ADD COLUMN address_book_id uuid REFERENCES address_books(id) ON DELETE SET NULL,
        ADD COLUMN estimated_cost bigint,
        ADD COLUMN reserved_cost bigint NOT NULL DEFAULT 0,
        ADD COLUMN refunded_cost bigint`);

    // The SMS exactly as sent (placeholders rendered, opt-out text appended), what it costs, and who sent it.
    await q.query(`
      ALTER TABLE messages
        ADD COLUMN body text,
        ADD COLUMN parts integer,
        ADD COLUMN cost bigint,
        ADD COLUMN sender text,
        ADD COLUMN polled_at timestamptz`);
    await q.query(`CREATE INDEX messages_sms_last_sent ON messages (address, sender, id DESC) WHERE channel = 'sms' AND sender IS NOT NULL`);
    await q.query(`CREATE INDEX messages_sms_unreported ON messages (sent_at) WHERE channel = 'sms' AND status = 'sent'`);

    // A delivery report said "landline" (Twilio 30006): later sends skip the number until it changes.
    await q.query(`ALTER TABLE contacts ADD COLUMN phone_not_mobile boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX contacts_tenant_phone ON contacts (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL`);

    await q.query(`
      CREATE TABLE inbound_messages (
        id uuid PRIMARY KEY DEFAULT uuid_v7(),
        tenant_id uuid,
        provider text NOT NULL,
        provider_message_id text NOT NULL,
        from_number text NOT NULL,
        to_number text NOT NULL,
        body text NOT NULL,
        keyword text,
        action text NOT NULL,
        message_id uuid,
        campaign_id uuid,
        book_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX inbound_messages_provider_id ON inbound_messages (provider, provider_message_id)`);
    await q.query(`CREATE INDEX inbound_messages_tenant_campaign ON inbound_messages (tenant_id, campaign_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS inbound_messages`);
    await q.query(`ALTER TABLE contacts DROP COLUMN IF EXISTS phone_not_mobile`);
    await q.query(`ALTER TABLE messages DROP COLUMN IF EXISTS body, DROP COLUMN IF EXISTS parts, DROP COLUMN IF EXISTS cost, DROP COLUMN IF EXISTS sender, DROP COLUMN IF EXISTS polled_at`);
    await q.query(`ALTER TABLE campaigns DROP COLUMN IF EXISTS address_book_id, DROP COLUMN IF EXISTS estimated_cost, DROP COLUMN IF EXISTS reserved_cost, DROP COLUMN IF EXISTS refunded_cost`);
    await q.query(`DROP TABLE IF EXISTS credit_transactions`);
    await q.query(`ALTER TABLE suppressions DROP COLUMN IF EXISTS book_id, DROP COLUMN IF EXISTS created_by_address`);
    for (const t of ['opt_outs', 'address_book_contacts', 'address_books', 'senders']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`
      ALTER TABLE tenants DROP COLUMN default_country, DROP COLUMN locale, DROP COLUMN sms_provider, DROP COLUMN sms_balance,
        DROP COLUMN sms_text_cap, DROP COLUMN sms_max_parts, DROP COLUMN opt_out_texts, DROP COLUMN help_text`);
  }
}
