import { Injectable } from '@nestjs/common';
import { parseInput, uuidSchema, ValidationError } from '@utskick/http';
import { sqlRows, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { channelSchema, normaliseAddress, tenantCountry } from './suppression-address';

export const MAX_IMPORT = 10_000;

export const importOptOutsSchema = z
  .object({
    channel: channelSchema,
    addresses: z.array(z.unknown()).min(1, 'must not be empty').max(MAX_IMPORT, `at most ${MAX_IMPORT} addresses per request`),
    addressBookId: uuidSchema.optional(),
    source: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,43}$/, 'letters, digits and _ . : - only, at most 43')
      .optional()
      // Always marked as imported: an import can never pass for the recipient's own STOP or click (which a START or re-subscribe may lift).
      .transform((v) => (v ? `import:${v}` : 'import')),
  })
  .strict();

/**
 * Imports an existing opt-out list (onboarding): each address becomes an opt-out of the book, or
 * tenant-wide without one. Good rows are kept; a bad one is named by index. `imported` counts the
 * opt-outs that are new (an address already opted out in that scope is not counted twice).
 */
@Injectable()
export class ImportOptOuts {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<{ imported: number; errors: { index: number; field: string; reason: string }[] }> {
    const b = parseInput(importOptOutsSchema, input.body);
    if (b.addressBookId) {
      const [book] = await this.ds.query('SELECT 1 FROM address_books WHERE tenant_id = $1 AND id = $2', [input.tenantId, b.addressBookId]);
      if (!book) throw new ValidationError([{ field: 'addressBookId', reason: 'no such address book' }]);
    }
    const country = await tenantCountry(this.ds, input.tenantId);
    const errors: { index: number; field: string; reason: string }[] = [];
    const addresses = new Set<string>();
    b.addresses.forEach((raw, index) => {
      const address = typeof raw === 'string' && raw.length <= 320 && !raw.includes('\u0000') ? normaliseAddress(b.channel, raw, country) : null;
      if (address) addresses.add(address);
      else errors.push({ index, field: 'address', reason: `is not a valid ${b.channel === 'email' ? 'e-mail address' : 'phone number'}` });
    });
    const list = [...addresses].sort();
    const inserted = list.length
      ? await sqlRows(
          this.ds,
          `INSERT INTO opt_outs (tenant_id, channel, address, book_id, source)
           SELECT $1, $2, a, $3, $4 FROM unnest($5::text[]) AS a
           ON CONFLICT DO NOTHING RETURNING 1`,
          [input.tenantId, b.channel, b.addressBookId ?? null, b.source, list],
        )
      : [];
    return { imported: inserted.length, errors };
  }
}
