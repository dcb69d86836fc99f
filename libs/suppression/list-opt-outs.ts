import { Injectable } from '@nestjs/common';
import { normaliseEmail, normalisePhone } from '@utskick/contacts';
import { parseInput, storableText, toPage, uuidSchema } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import type { CountryCode } from 'libphonenumber-js/max';
import { DataSource } from 'typeorm';
import { z } from 'zod';

export const optOutsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'at most 1000').default(100),
  cursor: uuidSchema.optional(),
  channel: z.enum(['sms', 'email'], { error: 'must be sms or email' }).optional(),
  addressBookId: uuidSchema.optional(),
  address: storableText().pipe(z.string().trim().min(1, 'must not be empty').max(320)).optional(),
});

export interface OptOutView {
  id: string;
  address: string;
  channel: string;
  scope: 'book' | 'tenant';
  addressBookId: string | null;
  source: string;
  createdAt: string;
}

/** The tenant's own opt-outs (book and tenant scope; the global list is not the tenant's to browse). */
@Injectable()
export class ListOptOuts {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; query: unknown }) {
    const q = parseInput(optOutsQuerySchema, input.query, 'query');
    let address: string | null = null;
    if (q.address) {
      // Addresses are keyed by their normal form: a phone as E.164 in the tenant's default country, an e-mail lower-cased.
      if (q.address.includes('@')) address = normaliseEmail(q.address);
      else {
        const [t]: { default_country: string }[] = await this.ds.query('SELECT default_country FROM tenants WHERE id = $1', [input.tenantId]);
        address = normalisePhone(q.address, (t?.default_country ?? 'SE') as CountryCode).e164 ?? q.address;
      }
    }
    const rows: { id: string; address: string; channel: string; book_id: string | null; source: string; created_at: Date }[] = await this.ds.query(
      `SELECT id, address, channel, book_id, source, created_at FROM opt_outs
        WHERE tenant_id = $1 AND ($2::text IS NULL OR channel = $2) AND ($3::uuid IS NULL OR book_id = $3)
          AND ($4::text IS NULL OR address = $4) AND ($5::uuid IS NULL OR id > $5)
        ORDER BY id LIMIT $6`,
      [input.tenantId, q.channel ?? null, q.addressBookId ?? null, address, q.cursor ?? null, q.limit + 1],
    );
    return toPage(rows, q.limit, (r): OptOutView => ({
      id: r.id,
      address: r.address,
      channel: r.channel,
      scope: r.book_id ? 'book' : 'tenant',
      addressBookId: r.book_id,
      source: r.source,
      createdAt: r.created_at.toISOString(),
    }));
  }
}
