import { Injectable } from '@nestjs/common';
import { ContactsRepository } from '@utskick/contacts';
import { parseInput, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { CampaignView, createCampaignSchema } from './campaign.dto';
import { CampaignsRepository, toCampaignView } from './campaigns.repository';

/** A draft campaign; named contacts must be the tenant's own (others are reported by position). */
@Injectable()
export class CreateCampaign {
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly contacts: ContactsRepository,
  ) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<CampaignView> {
    const data = parseInput(createCampaignSchema, input.body);
    if ('contactIds' in data.audience) {
      const ids = data.audience.contactIds.map((id) => id.toLowerCase());
      const known = await this.contacts.existing(input.tenantId, ids);
      const unknown = ids.map((id, i) => [id, i] as const).filter(([id]) => !known.has(id));
      if (unknown.length) {
        throw new ValidationError(
          unknown.slice(0, 20).map(([, i]) => ({ field: `audience.contactIds.${i}`, reason: 'no such contact' })),
          'The audience names contacts that do not exist',
        );
      }
      data.audience = { contactIds: [...new Set(ids)] };
    }
    const content = data.channel === 'sms' ? { sms: data.sms } : { email: data.email };
    const saved = await this.campaigns.repo.save(
      this.campaigns.repo.create({
        tenantId: input.tenantId,
        name: data.name,
        channel: data.channel,
        status: 'draft',
        audience: data.audience,
        content,
      }),
    );
    return toCampaignView(saved);
  }
}
