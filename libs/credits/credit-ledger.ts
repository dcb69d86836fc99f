import { sqlRows, TenantId } from '@utskick/persistence';
import { EntityManager } from 'typeorm';

/**
 * Takes `amount` from the tenant's balance for a campaign inside the caller's transaction (the
 * fan-out's, with the rows it pays for). The row lock and the `sms_balance >= amount` condition
 * make racing reservations queue up rather than overspend; false when the balance is short.
 */
export async function reserveCredit(em: EntityManager, tenantId: TenantId, campaignId: string, amount: number): Promise<boolean> {
  if (amount <= 0) return true;
  const [row] = await sqlRows<{ sms_balance: string }>(
    em,
    `UPDATE tenants SET sms_balance = sms_balance - $2 WHERE id = $1 AND sms_balance >= $2 RETURNING sms_balance`,
    [tenantId, amount],
  );
  if (!row) return false;
  await em.query(
    `INSERT INTO credit_transactions (tenant_id, kind, amount, balance_after, campaign_id, note) VALUES ($1, 'reservation', $2, $3, $4, 'fan-out batch')`,
    [tenantId, -amount, row.sms_balance, campaignId],
  );
  await em.query(`UPDATE campaigns SET reserved_cost = reserved_cost + $3 WHERE tenant_id = $1 AND id = $2`, [tenantId, campaignId, amount]);
  return true;
}

/** Adds to a tenant's balance and records why; answers the new balance. */
export async function creditBalance(
  em: EntityManager,
  tenantId: TenantId,
  kind: 'top_up' | 'refund',
  amount: number,
  campaignId: string | null,
  note: string | null,
): Promise<number | null> {
  const [row] = await sqlRows<{ sms_balance: string }>(em, `UPDATE tenants SET sms_balance = sms_balance + $2 WHERE id = $1 RETURNING sms_balance`, [tenantId, amount]);
  if (!row) return null;
  await em.query(
    `INSERT INTO credit_transactions (tenant_id, kind, amount, balance_after, campaign_id, note) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tenantId, kind, amount, row.sms_balance, campaignId, note],
  );
  return Number(row.sms_balance);
}
