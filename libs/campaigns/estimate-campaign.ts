import { Injectable } from '@nestjs/common';
import { Money, smsPricing } from '@utskick/credits';
import { isUuid, NotFoundError } from '@utskick/http';
import { SKIPPED } from '@utskick/messages';
import { TenantId } from '@utskick/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignRow, loadSendPlan, resolveAudienceBatch } from './resolve-audience';

/** contracts.md's estimate: who will get it, who will not and why, parts, cost and the balance. */
export interface Estimate {
  recipients: number;
  excluded: Record<string, number>;
  parts: number;
  cost: Money;
  balance: Money;
}

const BATCH = 5000;

/**
 * Walks the audience exactly as the fan-out will (same decisions, same rendering, same prices),
 * without writing anything: the estimate equals what execute sends and charges when nothing
 * changes in between.
 */
export async function estimateAudience(db: DataSource | EntityManager, c: CampaignRow): Promise<Omit<Estimate, 'balance'>> {
  const plan = await loadSendPlan(db, c);
  const seen = new Set<string>();
  const excluded: Record<string, number> = {};
  let recipients = 0;
  let parts = 0;
  let cost = 0;
  let cursor: string | null = null;
  for (;;) {
    const batch = await resolveAudienceBatch(db, plan, cursor, BATCH, seen);
    for (const r of batch.recipients) {
      if (r.status === 'queued') {
        recipients++;
        parts += r.parts ?? 0;
        cost += r.cost ?? 0;
      } else {
        excluded[r.status] = (excluded[r.status] ?? 0) + 1;
      }
    }
    if (batch.picked < BATCH) break;
    cursor = batch.lastContact;
  }
  return { recipients, excluded, parts, cost: { amount: cost, currency: smsPricing().currency } };
}

const CAMPAIGN_COLUMNS = 'id, tenant_id, channel, status, audience, content, address_book_id, reserved_cost, refunded_cost';

/**
 * Before the fan-out: the audience walked as the fan-out will walk it. After: what the ledger holds
 * (parts and cost of the messages written, less what was refunded).
 */
@Injectable()
export class EstimateCampaign {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; campaignId: string }): Promise<Estimate> {
    if (!isUuid(input.campaignId)) throw new NotFoundError('Campaign');
    const [c] = await this.ds.query(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE tenant_id = $1 AND id = $2`, [input.tenantId, input.campaignId]);
    if (!c) throw new NotFoundError('Campaign');
    const [t]: { sms_balance: string }[] = await this.ds.query('SELECT sms_balance FROM tenants WHERE id = $1', [input.tenantId]);
    const balance = { amount: Number(t.sms_balance), currency: smsPricing().currency };
    // Until the fan-out starts, nothing is in the ledger yet: the audience is walked as for a draft.
    if (c.status === 'draft' || c.status === 'queued') return { ...(await estimateAudience(this.ds, c)), balance };
    return { ...(await this.fromLedger(input.tenantId, c)), balance };
  }

  private async fromLedger(tenantId: TenantId, c: { id: string; reserved_cost: string; refunded_cost: string | null }): Promise<Omit<Estimate, 'balance'>> {
    const rows: { status: string; n: string; parts: string | null }[] = await this.ds.query(
      `SELECT status, count(*) AS n, sum(parts) AS parts FROM messages WHERE tenant_id = $1 AND campaign_id = $2 GROUP BY status`,
      [tenantId, c.id],
    );
    const skipped = new Set<string>(SKIPPED);
    const excluded: Record<string, number> = {};
    let recipients = 0;
    let parts = 0;
    for (const r of rows) {
      if (skipped.has(r.status)) excluded[r.status] = Number(r.n);
      else {
        recipients += Number(r.n);
        parts += Number(r.parts ?? 0);
      }
    }
    return { recipients, excluded, parts, cost: { amount: Number(c.reserved_cost) - Number(c.refunded_cost ?? 0), currency: smsPricing().currency } };
  }
}
