import { MigrationInterface, QueryRunner } from 'typeorm';

/** A sending domain is used for mail (From, DKIM) only once its DKIM record has been found in DNS. */
export class SendingDomainVerification1767000000000 implements MigrationInterface {
  name = 'SendingDomainVerification1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sending_domains ADD COLUMN verified_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sending_domains DROP COLUMN IF EXISTS verified_at`);
  }
}
