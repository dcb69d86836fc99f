import { Injectable } from '@nestjs/common';
import { isUuid, NotFoundError, parseInput, storableText, toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { creditBalance } from './credit-ledger';
import { smsPricing } from './pricing';

export const topUpSchema = z.object({
  amount: z.number({ error: 'must be a whole number of minor units' }).int('must be a whole number of minor units').min(1, 'must be positive').max(1e12, 'at most 1,000,000,000,000'),
  note: storableText().pipe(z.string().trim().max(500, 'at most 500 characters')).optional(),
}).strict();

export interface Money {
  amount: number;
  currency: string;
}

/** Adds credit to a tenant's SMS balance (platform admin only); recorded in its history. */
@Injectable()
export class TopUpCredits {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: string; body: unknown }): Promise<{ balance: Money }> {
    const data = parseInput(topUpSchema, input.body);
    if (!isUuid(input.tenantId)) throw new NotFoundError('Tenant');
    const balance = await this.ds.transaction((em) => creditBalance(em, input.tenantId as TenantId, 'top_up', data.amount, null, data.note ?? null));
    if (balance === null) throw new NotFoundError('Tenant');
    return { balance: { amount: balance, currency: smsPricing().currency } };
  }
}

/** The tenant's SMS balance. */
@Injectable()
export class GetCredits {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId }): Promise<{ balance: Money }> {
    const [t]: { sms_balance: string }[] = await this.ds.query('SELECT sms_balance FROM tenants WHERE id = $1', [input.tenantId]);
    if (!t) throw new NotFoundError('Tenant');
    return { balance: { amount: Number(t.sms_balance), currency: smsPricing().currency } };
  }
}

/** Every change to the balance, newest first: top-ups, per-batch reservations and refunds. */
@Injectable()
export class ListCreditHistory {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; limit: number; cursor?: string }) {
    const cursor = input.cursor !== undefined && /^[0-9]{1,18}$/.test(input.cursor) ? input.cursor : null;
    const rows: { id: string; kind: string; amount: string; balance_after: string; campaign_id: string | null; note: string | null; created_at: Date }[] =
      await this.ds.query(
        `SELECT id, kind, amount, balance_after, campaign_id, note, created_at FROM credit_transactions
          WHERE tenant_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [input.tenantId, cursor, input.limit + 1],
      );
    const currency = smsPricing().currency;
    return toPage(rows, input.limit, (r) => ({
      id: r.id,
      kind: r.kind,
      amount: { amount: Number(r.amount), currency },
      balanceAfter: { amount: Number(r.balance_after), currency },
      campaignId: r.campaign_id,
      note: r.note,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
