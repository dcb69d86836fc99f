import { Injectable } from '@nestjs/common';
import { NotFoundError, isUuid } from '@utskick/http';
import { CampaignEntity, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { Audience, CampaignContent, CampaignView } from './campaign.dto';

/** Campaigns within one tenant: every method takes the TenantId first. */
@Injectable()
export class CampaignsRepository {
  constructor(private readonly ds: DataSource) {}

  get repo() {
    return this.ds.getRepository(CampaignEntity);
  }

  async get(tenantId: TenantId, id: string): Promise<CampaignEntity> {
    const found = isUuid(id) ? await this.repo.findOneBy({ tenantId, id }) : null;
    if (!found) throw new NotFoundError('Campaign');
    return found;
  }

  async list(tenantId: TenantId, limit: number, before?: string): Promise<CampaignEntity[]> {
    const qb = this.repo.createQueryBuilder('c').where('c.tenant_id = :tenantId', { tenantId }).orderBy('c.id', 'DESC').limit(limit);
    if (before) qb.andWhere('c.id < :before', { before });
    return qb.getMany();
  }

  async counts(tenantId: TenantId, campaignIds: string[]): Promise<Map<string, Record<string, number>>> {
    const rows: { campaign_id: string; status: string; n: string }[] = campaignIds.length
      ? await this.ds.query(
          `SELECT campaign_id, status, count(*) AS n FROM messages
            WHERE tenant_id = $1 AND campaign_id = ANY($2::uuid[]) GROUP BY campaign_id, status`,
          [tenantId, campaignIds],
        )
      : [];
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const counts = out.get(r.campaign_id) ?? {};
      counts[r.status] = Number(r.n);
      out.set(r.campaign_id, counts);
    }
    return out;
  }
}

export function toCampaignView(c: CampaignEntity, counts: Record<string, number> = {}): CampaignView {
  const content = c.content as CampaignContent;
  return {
    id: c.id,
    name: c.name,
    channel: c.channel,
    status: c.status,
    statusReason: c.statusReason,
    audience: c.audience as Audience,
    addressBookId: c.addressBookId,
    ...content,
    counts,
    total: Object.values(counts).reduce((a, b) => a + b, 0),
    createdAt: c.createdAt.toISOString(),
    executedAt: c.executedAt?.toISOString() ?? null,
    completedAt: c.completedAt?.toISOString() ?? null,
  };
}
