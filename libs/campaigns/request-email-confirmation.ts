import { Injectable } from '@nestjs/common';
import { CONFIRMATION_KIND, confirmationMail } from '@utskick/email';
import { parseInput, uuidSchema, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CampaignView } from './campaign.dto';
import { CampaignsRepository } from './campaigns.repository';
import { ExecuteCampaign } from './execute-campaign';

export const confirmationRequestSchema = z.object({ addressBookId: uuidSchema.optional() }).strict();

/**
 * "Send confirmation request": an e-mail campaign in the tenant's language whose content is marked
 * as a confirmation request, sent through the normal pipeline at once. Its fan-out takes only
 * Unconfirmed addresses (of the tenant, or of the book) and marks them Confirmation requested;
 * the worker puts each message's confirm link where the text says %CONFIRM_URL%.
 */
@Injectable()
export class RequestEmailConfirmation {
  constructor(
    private readonly ds: DataSource,
    private readonly campaigns: CampaignsRepository,
    private readonly executeCampaign: ExecuteCampaign,
  ) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<CampaignView> {
    const q = parseInput(confirmationRequestSchema, input.body ?? {});
    const bookId = q.addressBookId?.toLowerCase() ?? null;
    if (bookId) {
      const [book] = await this.ds.query('SELECT id FROM address_books WHERE tenant_id = $1 AND id = $2', [input.tenantId, bookId]);
      if (!book) throw new ValidationError([{ field: 'addressBookId', reason: 'no such address book' }]);
    }
    const [t]: { name: string; locale: string }[] = await this.ds.query('SELECT name, locale FROM tenants WHERE id = $1', [input.tenantId]);
    const mail = confirmationMail(t.locale, t.name);
    const saved = await this.campaigns.repo.save(
      this.campaigns.repo.create({
        tenantId: input.tenantId,
        name: mail.campaignName,
        channel: 'email',
        status: 'draft',
        audience: bookId ? { addressBookId: bookId } : { all: true },
        addressBookId: bookId,
        content: { email: { kind: CONFIRMATION_KIND, subject: mail.subject, text: mail.text, html: mail.html } },
      }),
    );
    return this.executeCampaign.execute({ tenantId: input.tenantId, campaignId: saved.id });
  }
}
