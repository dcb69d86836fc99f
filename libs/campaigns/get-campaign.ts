import { Injectable } from '@nestjs/common';
import { TenantId } from '@utskick/persistence';
import { CampaignView } from './campaign.dto';
import { CampaignsRepository, toCampaignView } from './campaigns.repository';

@Injectable()
export class GetCampaign {
  constructor(private readonly campaigns: CampaignsRepository) {}

  async execute(input: { tenantId: TenantId; campaignId: string }): Promise<CampaignView> {
    const c = await this.campaigns.get(input.tenantId, input.campaignId);
    const counts = await this.campaigns.counts(input.tenantId, [c.id]);
    return toCampaignView(c, counts.get(c.id));
  }
}

@Injectable()
export class ListCampaigns {
  constructor(private readonly campaigns: CampaignsRepository) {}

  async execute(input: { tenantId: TenantId; limit: number; cursor?: string }) {
    const rows = await this.campaigns.list(input.tenantId, input.limit + 1, input.cursor);
    const page = rows.slice(0, input.limit);
    const counts = await this.campaigns.counts(input.tenantId, page.map((c) => c.id));
    return {
      items: page.map((c) => toCampaignView(c, counts.get(c.id))),
      nextCursor: rows.length > input.limit ? page[page.length - 1].id : null,
    };
  }
}
