import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { loadConfig, statusIngestSchema } from '@utskick/config';
import { DomainError, isUuid, storableText } from '@utskick/http';
import { elksReport, smsReportEventId, verifyElksCallbackToken } from '@utskick/providers';
import { StatusEvents } from './status-events';

/**
 * 46elks delivery reports (`whendelivered`). 46elks signs nothing: the URL carries the tenant's
 * token, checked in constant time, and the message must be that tenant's.
 */
@Controller('webhooks/46elks')
export class ElksDeliveryController {
  private readonly secret = loadConfig(statusIngestSchema).ELKS_CALLBACK_SECRET;

  constructor(private readonly events: StatusEvents) {}

  @Post(':tenantId/:token/delivery/:messageId')
  @HttpCode(204)
  async delivery(
    @Param('tenantId') tenantId: string,
    @Param('token') token: string,
    @Param('messageId') messageId: string,
    @Body() body: Record<string, string>,
  ): Promise<void> {
    if (!isUuid(tenantId) || !verifyElksCallbackToken(this.secret, tenantId, token)) {
      throw new DomainError('bad_token', 403, 'The callback token does not match this tenant');
    }
    const params = body && typeof body === 'object' ? body : {};
    const status = typeof params.status === 'string' ? params.status.toLowerCase() : '';
    const report = elksReport(status);
    // The payload is stored as jsonb, which takes no NUL: such a report is a bad request, not a 500.
    const broken = Object.entries(params).filter(([, v]) => [v].flat().some((x) => typeof x === 'string' && !storableText().safeParse(x).success));
    if (broken.length) {
      throw new DomainError('bad_callback', 400, 'The report holds a NUL character or an unpaired surrogate', broken.map(([field]) => ({ field, reason: 'is not storable text' })));
    }
    if (!isUuid(messageId) || !report || typeof params.id !== 'string' || !params.id) {
      throw new DomainError('bad_callback', 400, 'Not a 46elks delivery report for one of our messages', [
        { field: 'status', reason: `unknown status "${status}"` },
      ]);
    }
    await this.events.record([
      {
        messageId: messageId.toLowerCase(),
        tenantId: tenantId.toLowerCase(),
        status: report.status,
        eventType: status,
        source: '46elks',
        // 46elks retries a report for hours: the same id and status is one event.
        providerEventId: smsReportEventId(params.id, status),
        providerMessageId: params.id,
        error: report.error,
        payload: params,
        markNotMobile: report.markNotMobile,
      },
    ]);
  }
}
