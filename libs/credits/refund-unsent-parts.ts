import { Injectable } from '@nestjs/common';
import { logger } from '@utskick/observability';
import { trustedTenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { creditBalance } from './credit-ledger';

/**
 * Gives back, once per completed campaign, what its fan-out reserved for messages that never
 * reached a provider (rejected at submission, expired, taken out by a later opt-out). A message a
 * provider accepted is charged whatever its report says.
 */
@Injectable()
export class RefundUnsentParts {
  private readonly log = logger('credits');
  constructor(private readonly ds: DataSource) {}

  async execute(): Promise<number> {
    const due: { id: string; tenant_id: string }[] = await this.ds.query(
      `SELECT id, tenant_id FROM campaigns WHERE status = 'completed' AND refunded_cost IS NULL AND channel = 'sms' ORDER BY completed_at LIMIT 100`,
    );
    let refunded = 0;
    for (const c of due) {
      await this.ds.transaction(async (em) => {
        const [locked] = await em.query(
          `SELECT id FROM campaigns WHERE id = $1 AND tenant_id = $2 AND refunded_cost IS NULL FOR UPDATE SKIP LOCKED`,
          [c.id, c.tenant_id],
        );
        if (!locked) return;
        const [{ amount }]: { amount: string }[] = await em.query(
          `SELECT coalesce(sum(cost), 0) AS amount FROM messages
            WHERE tenant_id = $1 AND campaign_id = $2 AND cost IS NOT NULL AND sent_at IS NULL AND provider_message_id IS NULL`,
          [c.tenant_id, c.id],
        );
        const n = Number(amount);
        if (n > 0) await creditBalance(em, trustedTenantId(c.tenant_id), 'refund', n, c.id, 'parts never submitted');
        await em.query(`UPDATE campaigns SET refunded_cost = $3 WHERE tenant_id = $1 AND id = $2`, [c.tenant_id, c.id, n]);
        if (n > 0) this.log.info({ tenantId: c.tenant_id, campaignId: c.id, amount: n }, 'unsent parts refunded');
        refunded += n;
      });
    }
    return refunded;
  }
}
