import { Injectable } from '@nestjs/common';
import { toPage } from '@utskick/http';
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
    const counts = await this.campaigns.counts(input.tenantId, rows.slice(0, input.limit).map((c) => c.id));
    return toPage(rows, input.limit, (c) => toCampaignView(c, counts.get(c.id)));
  }
}
