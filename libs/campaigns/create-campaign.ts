import { Injectable } from '@nestjs/common';
import { loadConfig, smsSchema } from '@utskick/config';
import { ContactsRepository } from '@utskick/contacts';
import { checkEmailTemplates } from '@utskick/email';
import { FieldError, parseInput, ValidationError } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { checkSmsText, loadSmsFraming } from '@utskick/sms';
import { DataSource } from 'typeorm';
import { CampaignContent, CampaignView, createCampaignSchema } from './campaign.dto';
import { CampaignsRepository, toCampaignView } from './campaigns.repository';

/**
 * A draft campaign. Named contacts and the address book must be the tenant's own; an SMS goes
 * from one of the tenant's registered senders (or the book's), and its text is checked as it will
 * be sent: placeholders, the tenant's length cap, and parts with the book's opt-out text. An
 * e-mail's subject, text and HTML hold only known placeholders, and its layout is the tenant's own.
 */
@Injectable()
export class CreateCampaign {
  private readonly sharedShortCode = loadConfig(smsSchema).SHARED_SHORT_CODE;
  constructor(
    private readonly campaigns: CampaignsRepository,
    private readonly contacts: ContactsRepository,
    private readonly ds: DataSource,
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
    const bookId = 'addressBookId' in data.audience ? data.audience.addressBookId.toLowerCase() : null;
    if (bookId) data.audience = { addressBookId: bookId };

    let content: CampaignContent;
    if (data.channel === 'sms') {
      const framing = await loadSmsFraming(this.ds, input.tenantId, { from: data.sms.from, addressBookId: bookId ?? undefined }, this.sharedShortCode).catch(
        (err: unknown) => {
          throw renamed(err, { from: 'sms.from', addressBookId: 'audience.addressBookId' });
        },
      );
      if (!framing.from) throw new ValidationError([{ field: 'sms.from', reason: bookId ? 'is required: the address book has no sender' : 'is required' }]);
      if (framing.provider === '46elks' && framing.sender?.kind === 'alphanumeric' && !/^[A-Za-z0-9]{3,11}$/.test(framing.from)) {
        throw new ValidationError([
          { field: 'sms.from', reason: 'cannot be sent through 46elks: its text senders are 3 to 11 letters and digits, without spaces' },
        ]);
      }
      const { problems } = checkSmsText({ text: data.sms.text, footer: framing.footer, textCap: framing.textCap, maxParts: framing.maxParts, field: 'sms.text' });
      if (problems.length) throw new ValidationError(problems, 'The SMS text cannot be sent as written');
      content = { sms: { from: framing.from, text: data.sms.text } };
    } else {
      if (bookId) {
        const [book] = await this.ds.query('SELECT id FROM address_books WHERE tenant_id = $1 AND id = $2', [input.tenantId, bookId]);
        if (!book) throw new ValidationError([{ field: 'audience.addressBookId', reason: 'no such address book' }]);
      }
      const email = data.email;
      const unknown = checkEmailTemplates([
        { field: 'email.subject', source: email.subject },
        { field: 'email.text', source: email.text },
        { field: 'email.html', source: email.html },
      ]);
      if (unknown.length) throw new ValidationError(unknown, 'The e-mail names placeholders that do not exist');
      if (email.layoutId) {
        email.layoutId = email.layoutId.toLowerCase();
        const [layout] = await this.ds.query('SELECT id FROM email_layouts WHERE tenant_id = $1 AND id = $2', [input.tenantId, email.layoutId]);
        if (!layout) throw new ValidationError([{ field: 'email.layoutId', reason: 'no such layout' }]);
      }
      content = { email };
    }
    const saved = await this.campaigns.repo.save(
      this.campaigns.repo.create({
        tenantId: input.tenantId,
        name: data.name,
        channel: data.channel,
        status: 'draft',
        audience: data.audience,
        addressBookId: bookId,
        content,
      }),
    );
    return toCampaignView(saved);
  }
}

/** The same validation error with its fields named as they are in this request's body. */
function renamed(err: unknown, names: Record<string, string>): unknown {
  if (!(err instanceof ValidationError)) return err;
  return new ValidationError(err.errors.map((e: FieldError) => ({ field: names[e.field] ?? e.field, reason: e.reason })), err.message);
}
