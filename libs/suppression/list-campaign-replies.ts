import { Injectable } from '@nestjs/common';
import { isUuid, NotFoundError, parseInput, toPage, uuidSchema } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';

const ACTIONS = ['stop', 'start', 'help', 'reply'] as const;

export const repliesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(1000, 'at most 1000').default(100),
  cursor: uuidSchema.optional(),
  action: z.enum(ACTIONS, { error: `must be one of ${ACTIONS.join(', ')}` }).optional(),
});

export interface ReplyView {
  id: string;
  from: string;
  body: string;
  action: string;
  keyword: string | null;
  messageId: string | null;
  receivedAt: string;
}

/** SMS received in answer to a campaign's messages (keywords included, told apart by action), oldest first. */
@Injectable()
export class ListCampaignReplies {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; campaignId: string; query: unknown }) {
    const q = parseInput(repliesQuerySchema, input.query, 'query');
    const found = isUuid(input.campaignId)
      ? await this.ds.query('SELECT 1 FROM campaigns WHERE tenant_id = $1 AND id = $2', [input.tenantId, input.campaignId])
      : [];
    if (!found.length) throw new NotFoundError('Campaign');
    const rows: { id: string; from_number: string; body: string; action: string; keyword: string | null; message_id: string | null; created_at: Date }[] =
      await this.ds.query(
        `SELECT id, from_number, body, action, keyword, message_id, created_at FROM inbound_messages
          WHERE tenant_id = $1 AND campaign_id = $2 AND ($3::text IS NULL OR action = $3) AND ($4::uuid IS NULL OR id > $4)
          ORDER BY id LIMIT $5`,
        [input.tenantId, input.campaignId, q.action ?? null, q.cursor ?? null, q.limit + 1],
      );
    return toPage(rows, q.limit, (r): ReplyView => ({
      id: r.id,
      from: r.from_number,
      body: r.body,
      action: r.action,
      keyword: r.keyword,
      messageId: r.message_id,
      receivedAt: r.created_at.toISOString(),
    }));
  }
}
