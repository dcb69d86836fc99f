import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { emailProviderSchema, emailSecretsSchema, loadConfig } from '@utskick/config';
import { composeEmail, formatMailbox, isPlainAddress, loadCampaignMails, loadMailIdentities } from '@utskick/email';
import { DomainError, parseInput, storableText, uuidSchema, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { SmtpProvider } from '@utskick/providers';
import type { SendMailOptions } from 'nodemailer';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Audience } from './campaign.dto';
import { CampaignsRepository } from './campaigns.repository';

export const previewEmailSchema = z.object({ contactId: uuidSchema.optional() }).strict();
export const testEmailSchema = z
  .object({ to: storableText().pipe(z.string().trim().max(254, 'at most 254 characters').pipe(z.email('must be an e-mail address'))) })
  .strict();

export interface EmailPreview {
  contact: { id: string | null; firstName: string | null; lastName: string | null; email: string | null };
  subject: string;
  text: string;
  html: string;
  from: string;
  replyTo: string | null;
  headers: Record<string, string>;
}

interface SampleContact {
  id: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

/** Used when the audience has nobody yet. */
const MADE_UP: SampleContact = { id: null, first_name: 'Anna', last_name: 'Andersson', email: 'anna.andersson@example.com' };

/**
 * An e-mail campaign rendered for one recipient exactly as the worker would (layout, footer, sender,
 * headers, DKIM), except that its links are placeholders that do nothing.
 */
@Injectable()
export class RenderEmailPreview {
  private readonly secrets = loadConfig(emailSecretsSchema);
  readonly smtp = loadConfig(emailProviderSchema);

  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly ds: DataSource,
  ) {}

  async render(tenantId: TenantId, campaignId: string, contactId: string | undefined, opts: { subjectPrefix?: string; to?: string } = {}) {
    const campaign = await this.campaigns.get(tenantId, campaignId);
    if (campaign.channel !== 'email') throw new DomainError('not_an_email_campaign', HttpStatus.BAD_REQUEST, 'Only an e-mail campaign can be previewed or sent as a test');
    const mail = (await loadCampaignMails(this.ds, [campaign.id], tenantId)).get(campaign.id);
    if (!mail) throw new DomainError('not_an_email_campaign', HttpStatus.BAD_REQUEST, 'The campaign has no e-mail content');
    const contact = await this.sample(tenantId, campaign.audience as Audience, contactId);
    const identity = (await loadMailIdentities(this.ds, [tenantId], this.secrets.DOMAIN_KEY_SECRET)).get(tenantId)!;
    const base = this.secrets.PUBLIC_BASE_URL.replace(/\/$/, '');
    const messageId = randomUUID();
    const { rendered, message } = composeEmail({
      messageId,
      // A contact's unusable address (the fan-out skips it) must not stop its preview.
      to: opts.to ?? (contact.email && isPlainAddress(contact.email) ? contact.email : MADE_UP.email!),
      mail,
      contact: { firstName: contact.first_name, lastName: contact.last_name },
      identity,
      links: { unsubscribe: `${base}/u/preview`, resubscribe: `${base}/r/preview` },
      confirmUrl: `${base}/c/preview`,
      defaultFrom: this.smtp.EMAIL_FROM,
      verp: { secret: this.smtp.VERP_SECRET, domain: this.smtp.VERP_DOMAIN },
      subjectPrefix: opts.subjectPrefix,
    });
    return { messageId, contact, rendered, message };
  }

  /** The named contact (the tenant's own), else the audience's first, else a made-up one. */
  private async sample(tenantId: TenantId, audience: Audience, contactId: string | undefined): Promise<SampleContact> {
    const cols = 'c.id, c.first_name, c.last_name, c.email';
    if (contactId) {
      const [c] = await this.ds.query(`SELECT ${cols} FROM contacts c WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, contactId.toLowerCase()]);
      if (!c) throw new ValidationError([{ field: 'contactId', reason: 'no such contact' }]);
      return c;
    }
    const [first]: SampleContact[] =
      'addressBookId' in audience
        ? await this.ds.query(
            `SELECT ${cols} FROM address_book_contacts b JOIN contacts c ON c.tenant_id = b.tenant_id AND c.id = b.contact_id
              WHERE b.tenant_id = $1 AND b.book_id = $2 ORDER BY b.contact_id LIMIT 1`,
            [tenantId, audience.addressBookId],
          )
        : 'contactIds' in audience
          ? await this.ds.query(`SELECT ${cols} FROM contacts c WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[]) ORDER BY c.id LIMIT 1`, [tenantId, audience.contactIds])
          : await this.ds.query(`SELECT ${cols} FROM contacts c WHERE c.tenant_id = $1 ORDER BY c.id LIMIT 1`, [tenantId]);
    return first ?? MADE_UP;
  }
}

function mailbox(value: SendMailOptions['from']): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : formatMailbox({ name: (value as { name?: string }).name ?? '', address: (value as { address: string }).address });
}

@Injectable()
export class PreviewCampaignEmail {
  constructor(private readonly preview: RenderEmailPreview) {}

  async execute(input: { tenantId: TenantId; campaignId: string; body: unknown }): Promise<EmailPreview> {
    const { contactId } = parseInput(previewEmailSchema, input.body ?? {});
    const { contact, rendered, message } = await this.preview.render(input.tenantId, input.campaignId, contactId);
    const headers: Record<string, string> = {};
    const list = message.list as { unsubscribe?: string } | undefined;
    if (list?.unsubscribe) headers['List-Unsubscribe'] = `<${list.unsubscribe}>`;
    const extra = message.headers as Record<string, string>;
    if (extra['List-Unsubscribe-Post']) headers['List-Unsubscribe-Post'] = extra['List-Unsubscribe-Post'];
    return {
      contact: { id: contact.id, firstName: contact.first_name, lastName: contact.last_name, email: contact.email },
      ...rendered,
      from: mailbox(message.from)!,
      replyTo: mailbox(message.replyTo as SendMailOptions['from']),
      headers,
    };
  }
}

/** Sends a campaign's preview rendering ("[TEST] " before the subject) to one address through SMTP. */
@Injectable()
export class SendTestEmail implements OnApplicationShutdown {
  private provider: SmtpProvider | null = null;

  constructor(private readonly preview: RenderEmailPreview) {}

  async execute(input: { tenantId: TenantId; campaignId: string; body: unknown }): Promise<{ to: string }> {
    const { to } = parseInput(testEmailSchema, input.body);
    const { messageId, message } = await this.preview.render(input.tenantId, input.campaignId, undefined, { subjectPrefix: '[TEST] ', to });
    const result = await this.smtp()
      .submit({ messageId, to, message })
      .catch((err: Error) => {
        throw new DomainError('smtp_unavailable', HttpStatus.BAD_GATEWAY, `The mail relay did not take the test mail: ${err.message}`, [], true);
      });
    if (result.kind !== 'accepted') {
      throw new DomainError('test_mail_refused', HttpStatus.UNPROCESSABLE_ENTITY, `The mail relay did not take the test mail: ${result.error}`);
    }
    return { to };
  }

  private smtp(): SmtpProvider {
    const cfg = this.preview.smtp;
    this.provider ??= new SmtpProvider({ url: cfg.SMTP_URL, poolSize: 1, verpSecret: cfg.VERP_SECRET, verpDomain: cfg.VERP_DOMAIN, timeoutMs: 15_000 });
    return this.provider;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.provider?.close();
  }
}
