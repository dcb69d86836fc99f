import { Injectable } from '@nestjs/common';
import { parseInput, storableText, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { channelSchema, normaliseAddress, tenantCountry } from './suppression-address';

export const checkSuppressionSchema = z.object({
  channel: channelSchema,
  address: storableText().pipe(z.string().trim().min(1, 'is required').max(320, 'at most 320 characters')),
});

export interface SuppressionCheck {
  address: string;
  optOuts: { id: string; scope: 'book' | 'tenant'; addressBookId: string | null; source: string; createdAt: string }[];
  /** The tenant's own address Problem (e-mail only): bounced | spam | unsubscribed | blocked | invalid. */
  problem: string | null;
  /** The platform-wide list: why the address is blocked, never which tenant's mail brought it there. */
  global: { blocked: boolean; reason: string | null; detail: string | null };
}

/** Whether, and why, the tenant's mail or SMS to one address is held back. */
@Injectable()
export class CheckSuppression {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; query: unknown }): Promise<SuppressionCheck> {
    const q = parseInput(checkSuppressionSchema, input.query, 'query');
    const address = normaliseAddress(q.channel, q.address, await tenantCountry(this.ds, input.tenantId));
    if (!address) throw new ValidationError([{ field: 'query.address', reason: `is not a valid ${q.channel === 'email' ? 'e-mail address' : 'phone number'}` }]);
    const [optOuts, problems, global] = await Promise.all([
      this.ds.query(
        `SELECT id, book_id, source, created_at FROM opt_outs WHERE tenant_id = $1 AND channel = $2 AND address = $3 ORDER BY id`,
        [input.tenantId, q.channel, address],
      ) as Promise<{ id: string; book_id: string | null; source: string; created_at: Date }[]>,
      q.channel === 'email'
        ? (this.ds.query(`SELECT problem FROM email_addresses WHERE tenant_id = $1 AND address = $2 AND status = 'problem'`, [input.tenantId, address]) as Promise<
            { problem: string }[]
          >)
        : Promise.resolve([]),
      this.ds.query(`SELECT reason, detail FROM suppressions WHERE channel = $1 AND address = $2`, [q.channel, address]) as Promise<
        { reason: string; detail: string | null }[]
      >,
    ]);
    return {
      address,
      optOuts: optOuts.map((o) => ({
        id: o.id,
        scope: o.book_id ? 'book' : 'tenant',
        addressBookId: o.book_id,
        source: o.source,
        createdAt: o.created_at.toISOString(),
      })),
      problem: problems[0]?.problem ?? null,
      global: global.length ? { blocked: true, reason: global[0].reason, detail: global[0].detail } : { blocked: false, reason: null, detail: null },
    };
  }
}
