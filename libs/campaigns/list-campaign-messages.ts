import { Injectable } from '@nestjs/common';
import { toPage } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { CampaignsRepository } from './campaigns.repository';

export interface MessageView {
  id: string;
  contactId: string;
  to: string | null;
  status: string;
  provider: string | null;
  providerMessageId: string | null;
  attempts: number;
  sentAt: string | null;
  updatedAt: string;
  error: string | null;
}

/** The per-recipient log of a campaign, filterable by status, in stable id order. */
@Injectable()
export class ListCampaignMessages {
  constructor(
    private readonly ds: DataSource,
    private readonly campaigns: CampaignsRepository,
  ) {}

  async execute(input: { tenantId: TenantId; campaignId: string; status?: string; limit: number; cursor?: string }) {
    await this.campaigns.get(input.tenantId, input.campaignId);
    const rows: ({ id: string } & Record<string, unknown>)[] = await this.ds.query(
      `SELECT id, contact_id, address, status, provider, provider_message_id, attempts, sent_at, updated_at, error
         FROM messages
        WHERE tenant_id = $1 AND campaign_id = $2
          AND ($3::text IS NULL OR status = $3) AND ($4::uuid IS NULL OR id > $4)
        ORDER BY id LIMIT $5`,
      [input.tenantId, input.campaignId, input.status ?? null, input.cursor ?? null, input.limit + 1],
    );
    return toPage(
      rows,
      input.limit,
      (r): MessageView => ({
        id: r.id as string,
        contactId: r.contact_id as string,
        to: r.address as string | null,
        status: r.status as string,
        provider: r.provider as string | null,
        providerMessageId: r.provider_message_id as string | null,
        attempts: r.attempts as number,
        sentAt: r.sent_at ? (r.sent_at as Date).toISOString() : null,
        updatedAt: (r.updated_at as Date).toISOString(),
        error: r.error as string | null,
      }),
    );
  }
}
