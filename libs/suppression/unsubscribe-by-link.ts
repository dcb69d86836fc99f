import { Injectable } from '@nestjs/common';
import { MessageLedger } from '@utskick/messages';
import { DataSource } from 'typeorm';
import { linkState, loadLinkedMessage, RecipientLinkState } from './recipient-links';

/**
 * A recipient's unsubscribe (page button or RFC 8058 one-click), at once and idempotently: an
 * opt-out of the book the mail went through, else tenant-wide; the message becomes `unsubscribed`
 * where the status order allows. Only a tenant-wide one marks the address Problem(unsubscribed):
 * a book opt-out must leave the tenant's other books sendable.
 */
@Injectable()
export class UnsubscribeByLink {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: MessageLedger,
  ) {}

  async execute(input: { token: string; oneClick: boolean }): Promise<RecipientLinkState | null> {
    const m = await loadLinkedMessage(this.ds, input.token);
    if (!m) return null;
    const source = input.oneClick ? 'one_click' : 'unsubscribe_link';
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO opt_outs (tenant_id, channel, address, book_id, source) VALUES ($1, 'email', $2, $3, $4) ON CONFLICT DO NOTHING`,
        [m.tenantId, m.address, m.bookId, source],
      );
      if (!m.bookId) {
        // A bounce or complaint already recorded is the stronger Problem and stays.
        await em.query(
          `INSERT INTO email_addresses (tenant_id, address, status, problem, problem_source, updated_at)
           VALUES ($1, $2, 'problem', 'unsubscribed', $3, now())
           ON CONFLICT (tenant_id, address) DO UPDATE
             SET status = 'problem', problem = 'unsubscribed', problem_source = EXCLUDED.problem_source, updated_at = now()
           WHERE email_addresses.status <> 'problem'`,
          [m.tenantId, m.address, source],
        );
      }
    });
    await this.ledger.applyEvents([
      {
        messageId: m.id,
        status: 'unsubscribed',
        eventType: 'unsubscribe',
        source: 'recipient',
        providerEventId: `unsubscribe:${m.id}`,
        payload: { via: source, scope: m.bookId ? 'book' : 'tenant', addressBookId: m.bookId },
      },
    ]);
    return linkState(this.ds, m);
  }
}
