import { Injectable } from '@nestjs/common';
import { MessageLedger } from '@utskick/messages';
import { DataSource } from 'typeorm';
import { linkState, loadLinkedMessage, RecipientLinkState } from './recipient-links';

/**
 * Double opt-in: the link of a confirmation request makes its address Confirmed for that tenant.
 * A Problem (bounce, complaint, unsubscribe, block) is not lifted by it; repeating it changes nothing.
 */
@Injectable()
export class ConfirmEmailAddress {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: MessageLedger,
  ) {}

  /** The page's state after confirming; null when the token names no confirmation request. */
  async execute(input: { token: string }): Promise<RecipientLinkState | null> {
    const m = await loadLinkedMessage(this.ds, input.token);
    if (!m?.confirmationRequest) return null;
    await this.ds.query(
      `INSERT INTO email_addresses (tenant_id, address, status, confirmed_at, updated_at) VALUES ($1, $2, 'confirmed', now(), now())
       ON CONFLICT (tenant_id, address) DO UPDATE SET status = 'confirmed', confirmed_at = now(), updated_at = now()
       WHERE email_addresses.status IN ('unconfirmed', 'confirmation_requested')`,
      [m.tenantId, m.address],
    );
    await this.ledger.applyEvents([
      { messageId: m.id, status: null, eventType: 'confirmed', source: 'recipient', providerEventId: `confirm:${m.id}`, payload: null },
    ]);
    return linkState(this.ds, m);
  }
}
