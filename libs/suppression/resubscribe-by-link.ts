import { Injectable } from '@nestjs/common';
import { MessageLedger } from '@utskick/messages';
import { DataSource } from 'typeorm';
import { LINK_OPT_OUT_SOURCES, linkState, loadLinkedMessage, RecipientLinkState } from './recipient-links';

/**
 * A recipient's re-subscribe: lifts the opt-out of the link's scope that their own unsubscribe
 * created (an imported or provider opt-out, and the global list, stay). Lifting a tenant-wide
 * Problem(unsubscribed) leaves the address Confirmed: the click through a link delivered to that
 * mailbox is the same proof a confirmation link gives. The message keeps its status (forward only).
 */
@Injectable()
export class ResubscribeByLink {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: MessageLedger,
  ) {}

  async execute(input: { token: string }): Promise<RecipientLinkState | null> {
    const m = await loadLinkedMessage(this.ds, input.token);
    if (!m) return null;
    const removed = await this.ds.transaction(async (em) => {
      const rows: { id: string }[] = await em.query(
        `DELETE FROM opt_outs WHERE tenant_id = $1 AND channel = 'email' AND address = $2 AND book_id IS NOT DISTINCT FROM $3::uuid
            AND source = ANY($4::text[]) RETURNING id`,
        [m.tenantId, m.address, m.bookId, LINK_OPT_OUT_SOURCES],
      );
      if (!m.bookId) {
        await em.query(
          `UPDATE email_addresses SET status = 'confirmed', problem = NULL, problem_source = NULL, confirmed_at = now(), updated_at = now()
            WHERE tenant_id = $1 AND address = $2 AND status = 'problem' AND problem = 'unsubscribed' AND problem_source = ANY($3::text[])`,
          [m.tenantId, m.address, LINK_OPT_OUT_SOURCES],
        );
      }
      return rows;
    });
    if (removed.length) {
      await this.ledger.applyEvents([
        {
          messageId: m.id,
          status: null,
          eventType: 'resubscribed',
          source: 'recipient',
          providerEventId: `resubscribe:${removed[0].id}`,
          payload: { scope: m.bookId ? 'book' : 'tenant', addressBookId: m.bookId },
        },
      ]);
    }
    return linkState(this.ds, m);
  }
}
