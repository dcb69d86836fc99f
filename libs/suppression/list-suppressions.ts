import { Injectable } from '@nestjs/common';
import { parseInput, storableText, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { channelSchema, normaliseAddress, tenantCountry } from './suppression-address';

export const listSuppressionsSchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'at most 1000').default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,1000}$/, 'must be a cursor from a previous page').optional(),
  channel: channelSchema.optional(),
  address: storableText().pipe(z.string().trim().min(1, 'must not be empty').max(320)).optional(),
});

export type SuppressionItem =
  | { kind: 'opt_out'; id: string; channel: string; address: string; scope: 'book' | 'tenant'; addressBookId: string | null; source: string; at: string }
  | { kind: 'problem'; channel: 'email'; address: string; problem: string; source: string | null; at: string };

/**
 * The tenant's own suppressions in one list ordered by address: its opt-outs (book or tenant
 * scope) and its e-mail addresses in Problem. The global list is not the tenant's to browse.
 */
@Injectable()
export class ListSuppressions {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; query: unknown }): Promise<{ items: SuppressionItem[]; nextCursor: string | null }> {
    const q = parseInput(listSuppressionsSchema, input.query, 'query');
    let address: string | null = null;
    if (q.address) {
      const channel = q.channel ?? (q.address.includes('@') ? 'email' : 'sms');
      address = normaliseAddress(channel, q.address, await tenantCountry(this.ds, input.tenantId)) ?? q.address.toLowerCase();
    }
    const after = q.cursor ? decodeCursor(q.cursor) : null;
    const rows: { address: string; kind: 'opt_out' | 'problem'; key: string; channel: string; book_id: string | null; problem: string | null; source: string | null; at: Date }[] =
      await this.ds.query(
        `SELECT * FROM (
           SELECT o.address, 'opt_out' AS kind, o.id::text AS key, o.channel, o.book_id, NULL AS problem, o.source, o.created_at AS at
             FROM opt_outs o WHERE o.tenant_id = $1 AND ($2::text IS NULL OR o.channel = $2) AND ($3::text IS NULL OR o.address = $3)
           UNION ALL
           SELECT a.address, 'problem', '', 'email', NULL, a.problem, a.problem_source, a.updated_at
             FROM email_addresses a WHERE a.tenant_id = $1 AND a.status = 'problem' AND ($2::text IS NULL OR $2 = 'email') AND ($3::text IS NULL OR a.address = $3)
         ) u
         WHERE $4::text IS NULL OR (u.address COLLATE "C", u.kind COLLATE "C", u.key COLLATE "C") > ($4::text COLLATE "C", $5::text COLLATE "C", $6::text COLLATE "C")
         ORDER BY u.address COLLATE "C", u.kind COLLATE "C", u.key COLLATE "C"
         LIMIT $7`,
        [input.tenantId, q.channel ?? null, address, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, q.limit + 1],
      );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(
        (r): SuppressionItem =>
          r.kind === 'opt_out'
            ? { kind: 'opt_out', id: r.key, channel: r.channel, address: r.address, scope: r.book_id ? 'book' : 'tenant', addressBookId: r.book_id, source: r.source!, at: r.at.toISOString() }
            : { kind: 'problem', channel: 'email', address: r.address, problem: r.problem!, source: r.source, at: r.at.toISOString() },
      ),
      nextCursor: rows.length > q.limit ? Buffer.from(JSON.stringify([last.address, last.kind, last.key])).toString('base64url') : null,
    };
  }
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string' && !x.includes('\u0000'))) return v as [string, string, string];
  } catch {
    /* falls through */
  }
  throw new ValidationError([{ field: 'query.cursor', reason: 'must be a cursor from a previous page' }]);
}
