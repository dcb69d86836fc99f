import { Injectable } from '@nestjs/common';
import { ack, Job, JobConsumer, JobHandler, Outcome } from '@utskick/messaging';
import { ReleaseLoop } from './release.loop';

/** Wakes the release loop when the API queues a campaign; the loop's poll is the fallback. */
@Injectable()
@JobConsumer('campaign.executed', { batchSize: 100, batchesInFlight: 1 })
export class CampaignExecutedConsumer implements JobHandler<'campaign.executed'> {
  constructor(private readonly loop: ReleaseLoop) {}

  async handle(jobs: Job<'campaign.executed'>[]): Promise<Outcome[]> {
    this.loop.nudge();
    return jobs.map(() => ack());
  }
}
