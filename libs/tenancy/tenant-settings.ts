import { Injectable } from '@nestjs/common';
import { apiSchema, loadConfig } from '@utskick/config';
import { isUuid, NotFoundError, parseInput, storableText, ValidationError } from '@utskick/http';
import { elksCallbackUrl } from '@utskick/providers';
import { TenantEntity, TenantId } from '@utskick/persistence';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { DataSource } from 'typeorm';
import { z } from 'zod';

// Not trimmed: wording that starts with punctuation or a space is appended without a line break. null removes it.
const optOutWording = storableText()
  .pipe(z.string().max(160, 'at most 160 characters').refine((v) => v.trim().length > 0, 'must not be empty'))
  .nullable();
const wordingsBySender = z
  .object({ reply_number: optOutWording, alphanumeric: optOutWording, short_code: optOutWording })
  .partial()
  .strict();

type Wordings = TenantEntity['optOutTexts'];

/** The tenant's wordings with the patch laid over them: named ones replaced, null ones removed, others kept. */
function mergeWordings(current: Wordings, patch: Partial<Record<string, Partial<Record<string, string | null>>>>): Wordings {
  const out: Record<string, Record<string, string>> = JSON.parse(JSON.stringify(current ?? {}));
  for (const [locale, kinds] of Object.entries(patch)) {
    const merged = { ...(out[locale] ?? {}) };
    for (const [kind, text] of Object.entries(kinds ?? {})) {
      if (text === null) delete merged[kind];
      else if (text !== undefined) merged[kind] = text;
    }
    if (Object.keys(merged).length) out[locale] = merged;
    else delete out[locale];
  }
  return out as Wordings;
}

export const tenantSettingsSchema = z
  .object({
    /** Read numbers written without a country code as this country's. */
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code such as SE')
      .refine((c) => isSupportedCountry(c), 'is not a country with a phone numbering plan'),
    locale: z.enum(['sv', 'en', 'fr'], { error: "must be 'sv', 'en' or 'fr'" }),
    smsProvider: z.enum(['twilio', '46elks'], { error: "must be 'twilio' or '46elks'" }),
    /** A cap on the tenant's own text (before the opt-out text), in characters; null for none. */
    smsTextCap: z.number().int('must be a whole number').min(1).max(1600).nullable(),
    smsMaxParts: z.number().int('must be a whole number').min(1).max(20),
    /**
     * Replaces the default opt-out wording per locale and sender kind ({shortCode} and {keyword} are
     * filled in); merged into what is set, null removes one.
     */
    optOutTexts: z.object({ sv: wordingsBySender, en: wordingsBySender, fr: wordingsBySender }).partial().strict(),
    helpText: storableText().pipe(z.string().trim().min(1).max(320, 'at most 320 characters')).nullable(),
    /** Bulk (marketing) e-mail goes only to Confirmed addresses; the others are skipped `unconfirmed`. */
    requireConfirmedEmail: z.boolean({ error: 'must be true or false' }),
  })
  .partial()
  .strict();

export interface TenantSettings {
  name: string;
  defaultCountry: string;
  locale: 'sv' | 'en' | 'fr';
  smsProvider: 'twilio' | '46elks';
  smsTextCap: number | null;
  smsMaxParts: number;
  optOutTexts: TenantEntity['optOutTexts'];
  helpText: string | null;
  requireConfirmedEmail: boolean;
}

function view(t: TenantEntity): TenantSettings {
  return {
    name: t.name,
    defaultCountry: t.defaultCountry,
    locale: t.locale,
    smsProvider: t.smsProvider,
    smsTextCap: t.smsTextCap,
    smsMaxParts: t.smsMaxParts,
    optOutTexts: t.optOutTexts,
    helpText: t.helpText,
    requireConfirmedEmail: t.requireConfirmedEmail,
  };
}

@Injectable()
export class GetTenantSettings {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId }): Promise<TenantSettings> {
    const t = await this.ds.getRepository(TenantEntity).findOneBy({ id: input.tenantId });
    if (!t) throw new NotFoundError('Tenant');
    return view(t);
  }
}

/** Changes the named settings only; the SMS provider switch applies to messages fanned out afterwards. */
@Injectable()
export class UpdateTenantSettings {
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<TenantSettings> {
    const patch = parseInput(tenantSettingsSchema, input.body);
    if (!Object.keys(patch).length) throw new ValidationError([{ field: 'body', reason: 'names no setting to change' }]);
    // Only the named columns are written, under the row lock: concurrent changes to other settings are kept.
    return this.ds.transaction(async (em) => {
      const repo = em.getRepository(TenantEntity);
      const t = await repo.findOne({ where: { id: input.tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!t) throw new NotFoundError('Tenant');
      const { optOutTexts, ...rest } = patch;
      const changes: Partial<TenantEntity> = { ...rest };
      if (optOutTexts) changes.optOutTexts = mergeWordings(t.optOutTexts, optOutTexts);
      await repo.update({ id: input.tenantId }, changes);
      return view({ ...t, ...changes } as TenantEntity);
    });
  }
}

/**
 * Where the providers post for a tenant: Twilio's inbound webhook is one signed URL for every
 * number; 46elks signs nothing, so each tenant's URL carries its own secret (shown to the admin only).
 */
@Injectable()
export class GetTenantWebhooks {
  private readonly cfg = loadConfig(apiSchema);
  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: string }) {
    if (!isUuid(input.tenantId)) throw new NotFoundError('Tenant');
    const t = await this.ds.getRepository(TenantEntity).findOneBy({ id: input.tenantId });
    if (!t) throw new NotFoundError('Tenant');
    const base = this.cfg.PUBLIC_BASE_URL.replace(/\/$/, '');
    return {
      twilio: { inboundSms: `${base}/webhooks/twilio/inbound` },
      '46elks': {
        inboundSms: this.cfg.ELKS_CALLBACK_SECRET ? elksCallbackUrl(base, this.cfg.ELKS_CALLBACK_SECRET, t.id, 'inbound') : null,
      },
    };
  }
}
