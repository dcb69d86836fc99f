import { HttpStatus, Injectable } from '@nestjs/common';
import { ConflictError, DomainError, NotFoundError, isUuid } from '@utskick/http';
import { JobPublisher } from '@utskick/messaging';
import { currentTraceHeaders, logger } from '@utskick/observability';
import { CampaignEntity, TenantId } from '@utskick/persistence';
import { DataSource, EntityManager } from 'typeorm';
import { Audience, CampaignView } from './campaign.dto';
import { estimateAudience } from './estimate-campaign';
import { CampaignRow } from './resolve-audience';
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

  /**
   * Refuses (402) a send whose estimate exceeds what the balance still has uncommitted. The tenant
   * row is locked, so executes of one tenant are judged one at a time: a second campaign racing for
   * the same credit sees the first one's estimate as committed.
   */
  private async checkCredit(em: EntityManager, tenantId: TenantId, c: CampaignEntity): Promise<number> {
    const [t]: { sms_balance: string }[] = await em.query('SELECT sms_balance FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    const estimate = await estimateAudience(em, {
      id: c.id,
      tenant_id: c.tenantId,
      channel: c.channel,
      audience: c.audience as Audience,
      content: c.content as CampaignRow['content'],
      address_book_id: c.addressBookId,
    });
    const cost = estimate.cost.amount;
    if (cost === 0) return 0;
    // Campaigns still fanning out will take what they estimated and have not reserved yet.
    const [{ committed }]: { committed: string }[] = await em.query(
      `SELECT coalesce(sum(greatest(coalesce(estimated_cost, 0) - reserved_cost, 0)), 0) AS committed FROM campaigns
        WHERE tenant_id = $1 AND id <> $2 AND status IN ('queued', 'dispatching') AND NOT fanout_done`,
      [tenantId, c.id],
    );
    const balance = Number(t.sms_balance);
    const available = balance - Number(committed);
    if (cost > available) {
      throw new DomainError(
        'insufficient_credit',
        HttpStatus.PAYMENT_REQUIRED,
        `This send costs ${cost} and ${Math.max(0, available)} ${estimate.cost.currency} (minor units) is available; top up first`,
        [],
        false,
        { cost: estimate.cost, balance: { amount: balance, currency: estimate.cost.currency }, committed: Number(committed) },
      );
    }
    return cost;
  }

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
      c.estimatedCost = await this.checkCredit(em, input.tenantId, c);
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
