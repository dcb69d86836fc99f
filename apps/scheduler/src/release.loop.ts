import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CompleteCampaigns, FanOutCampaign, FindDueCampaigns, SweepStaleMessages } from '@utskick/campaigns';
import { loadConfig, schedulerSchema } from '@utskick/config';
import { RefundUnsentParts } from '@utskick/credits';
import { logger } from '@utskick/observability';

/**
 * Releases due campaigns (at once for "send now"), resumes fan-outs a dead scheduler left
 * unfinished, re-drives stale ledger rows, marks campaigns completed and refunds their unsent parts.
 */
@Injectable()
export class ReleaseLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = logger('release-loop');
  private readonly cfg = loadConfig(schedulerSchema);
  private stopping = false;
  private wake?: () => void;
  private loops: Promise<void>[] = [];
  private readonly active = new Map<string, Promise<void>>();

  constructor(
    private readonly findDue: FindDueCampaigns,
    private readonly fanOut: FanOutCampaign,
    private readonly complete: CompleteCampaigns,
    private readonly sweep: SweepStaleMessages,
    private readonly refund: RefundUnsentParts,
  ) {}

  onApplicationBootstrap(): void {
    this.loops = [
      this.every(this.cfg.RELEASE_POLL_MS, () => this.release(), true),
      this.every(this.cfg.SWEEP_INTERVAL_MS, () => this.sweep.execute({ staleMs: this.cfg.SWEEP_STALE_MS, backlogStaleMs: this.cfg.SWEEP_BACKLOG_STALE_MS, publishWindow: this.cfg.PUBLISH_WINDOW }).then(() => undefined)),
      this.every(Math.min(1000, this.cfg.RELEASE_POLL_MS), async () => {
        await this.complete.execute();
        await this.refund.execute();
      }),
    ];
  }

  /** A campaign.executed event: release now rather than at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await Promise.all(this.loops);
    // Fan-outs stop between batches; their cursor is committed, so the next scheduler resumes.
    await Promise.all(this.active.values());
  }

  /** Starts the fan-out of every due campaign not already running here; does not wait for them. */
  private async release(): Promise<void> {
    const due = await this.findDue.execute();
    for (const c of due) {
      if (this.active.has(c.id) || this.stopping) continue;
      const run = this.fanOut
        .execute(
          { campaignId: c.id, traceParent: c.traceParent },
          {
            batchSize: this.cfg.FANOUT_BATCH_SIZE,
            pauseMs: this.cfg.FANOUT_BATCH_PAUSE_MS,
            publishWindow: this.cfg.PUBLISH_WINDOW,
            shouldStop: () => this.stopping,
          },
        )
        .then(() => undefined)
        .catch((err) => this.log.error({ err, tenantId: c.tenantId, campaignId: c.id }, 'fan-out failed; resumes at the next poll'))
        .finally(() => this.active.delete(c.id));
      this.active.set(c.id, run);
    }
  }

  private async every(ms: number, task: () => Promise<void>, wakeable = false): Promise<void> {
    while (!this.stopping) {
      try {
        await task();
      } catch (err) {
        this.log.error({ err }, 'scheduler task failed');
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        if (wakeable) {
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        }
      });
    }
  }
}
