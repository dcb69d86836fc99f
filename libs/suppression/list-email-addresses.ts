import { Injectable } from '@nestjs/common';
import { normaliseEmail } from '@utskick/contacts';
import { parseInput, storableText, ValidationError } from '@utskick/http';
import type { EmailAddressStatus, EmailProblem, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';

const STATUSES = ['unconfirmed', 'confirmation_requested', 'confirmed', 'problem'] as const;

export const emailAddressesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'at most 1000').default(100),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,500}$/, 'must be a cursor from a previous page').optional(),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
  address: storableText().pipe(z.string().trim().min(1, 'must not be empty').max(320)).optional(),
});

export interface EmailAddressView {
  address: string;
  status: EmailAddressStatus;
  /** Set iff status is `problem`; `blocked` is the global list (its reason and origin are not the tenant's). */
  problem: EmailProblem | null;
  problemSource: string | null;
  confirmationRequestedAt: string | null;
  confirmedAt: string | null;
}

/**
 * The double opt-in status of every e-mail address among the tenant's contacts: no row is
 * Unconfirmed (a changed address is a new key, so it starts over); an address on the global list
 * shows as Problem(blocked) unless the tenant has its own Problem for it.
 */
@Injectable()
export class ListEmailAddresses {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; query: unknown }): Promise<{ items: EmailAddressView[]; nextCursor: string | null }> {
    const q = parseInput(emailAddressesQuerySchema, input.query, 'query');
    const after = q.cursor === undefined ? null : Buffer.from(q.cursor, 'base64url').toString('utf8');
    // Our cursors are addresses; one with a NUL (PostgreSQL refuses it in text) is not ours.
    if (after !== null && (!after.includes('@') || after.includes('\u0000'))) throw new ValidationError([{ field: 'query.cursor', reason: 'must be a cursor from a previous page' }]);
    const rows: {
      address: string;
      status: EmailAddressStatus;
      problem: EmailProblem | null;
      problem_source: string | null;
      confirmation_requested_at: Date | null;
      confirmed_at: Date | null;
    }[] = await this.ds.query(
      `WITH a AS (
         SELECT DISTINCT lower(btrim(c.email)) AS address FROM contacts c
          WHERE c.tenant_id = $1 AND NULLIF(btrim(c.email), '') IS NOT NULL
            AND ($2::text IS NULL OR lower(btrim(c.email)) = $2) AND ($3::text IS NULL OR lower(btrim(c.email)) COLLATE "C" > $3)
       ), s AS (
         SELECT a.address, ea.confirmation_requested_at, ea.confirmed_at,
                CASE WHEN ea.status = 'problem' THEN ea.problem
                     WHEN EXISTS (SELECT 1 FROM suppressions g WHERE g.channel = 'email' AND g.address = a.address) THEN 'blocked' END AS problem,
                CASE WHEN ea.status = 'problem' THEN ea.problem_source
                     WHEN EXISTS (SELECT 1 FROM suppressions g WHERE g.channel = 'email' AND g.address = a.address) THEN 'global_list' END AS problem_source,
                ea.status
           FROM a LEFT JOIN email_addresses ea ON ea.tenant_id = $1 AND ea.address = a.address
       )
       SELECT address, CASE WHEN problem IS NOT NULL THEN 'problem' ELSE COALESCE(status, 'unconfirmed') END AS status,
              problem, problem_source, confirmation_requested_at, confirmed_at
         FROM s
        WHERE $4::text IS NULL OR (CASE WHEN problem IS NOT NULL THEN 'problem' ELSE COALESCE(status, 'unconfirmed') END) = $4
        ORDER BY address COLLATE "C" LIMIT $5`,
      [input.tenantId, q.address ? normaliseEmail(q.address) : null, after, q.status ?? null, q.limit + 1],
    );
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        address: r.address,
        status: r.status,
        problem: r.problem,
        problemSource: r.problem_source,
        confirmationRequestedAt: r.confirmation_requested_at?.toISOString() ?? null,
        confirmedAt: r.confirmed_at?.toISOString() ?? null,
      })),
      nextCursor: rows.length > q.limit ? Buffer.from(page[page.length - 1].address, 'utf8').toString('base64url') : null,
    };
  }
}
