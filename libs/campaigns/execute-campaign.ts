import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, isUuid } from '@utskick/http';
import { JobPublisher } from '@utskick/messaging';
import { currentTraceHeaders, logger } from '@utskick/observability';
import { CampaignEntity, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { CampaignView } from './campaign.dto';
import { CampaignsRepository, toCampaignView } from './campaigns.repository';

/**
 * Marks a draft campaign queued for release and wakes the scheduler. Repeating it (with the
 * same, another or no Idempotency-Key) answers the same campaign and changes nothing.
 */
@Injectable()
export class ExecuteCampaign {
  private readonly log = logger('execute-campaign');
  constructor(
    private readonly ds: DataSource,
    private readonly campaigns: CampaignsRepository,
    private readonly publisher: JobPublisher,
  ) {}

  async execute(input: { tenantId: TenantId; campaignId: string; idempotencyKey?: string }): Promise<CampaignView> {
    if (!isUuid(input.campaignId)) throw new NotFoundError('Campaign');
    const { campaign, released } = await this.ds.transaction(async (em) => {
      const c = await em.getRepository(CampaignEntity).findOne({
        where: { tenantId: input.tenantId, id: input.campaignId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!c) throw new NotFoundError('Campaign');
      if (c.status === 'cancelled') throw new ConflictError('campaign_cancelled', 'A cancelled campaign cannot be executed');
      if (c.status !== 'draft') return { campaign: c, released: false };
      c.status = 'queued';
      c.executedAt = new Date();
      c.releaseAt = c.executedAt;
      c.executeIdempotencyKey = input.idempotencyKey ?? null;
      c.traceParent = currentTraceHeaders().traceparent ?? null;
      return { campaign: await em.save(c), released: true };
    });
    if (released) {
      // The scheduler also polls for queued campaigns, so a lost wake-up only delays the release.
      await this.publisher
        .publish('campaign.executed', {
          tenantId: input.tenantId,
          payload: { campaignId: campaign.id, tenantId: input.tenantId },
          msgId: `executed:${campaign.id}`,
        })
        .catch((err) => this.log.warn({ err, campaignId: campaign.id }, 'wake-up not published'));
      this.log.info({ tenantId: input.tenantId, campaignId: campaign.id }, 'campaign queued');
    }
    const counts = await this.campaigns.counts(input.tenantId, [campaign.id]);
    return toCampaignView(campaign, counts.get(campaign.id));
  }
}
