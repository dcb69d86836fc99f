import { z } from 'zod';
import { storableText, uuidSchema } from '@utskick/http';

export const audienceSchema = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ contactIds: z.array(uuidSchema).min(1, 'must name at least one contact').max(100000) }).strict(),
  z.object({ addressBookId: uuidSchema }).strict(),
], { error: 'must be one of {"all": true}, {"contactIds": [...]} or {"addressBookId": "..."}' });
export type Audience = z.infer<typeof audienceSchema>;

export const smsContentSchema = z.object({
  /** One of the tenant's registered senders (as long as a registered value may be); may be left out when the address book has a sender. */
  from: storableText().pipe(z.string().trim().min(1, 'is required').max(32, 'at most 32 characters')).optional(),
  text: storableText().pipe(z.string().min(1, 'is required').max(1600, 'at most 1,600 characters')),
});
/** Text that goes into a header (subject, display names): a line break could start a header of its own. */
const headerText = (max: number) =>
  storableText().pipe(z.string().trim().min(1, 'is required').max(max, `at most ${max} characters`).refine((v) => !/[\r\n]/.test(v), 'must not contain a line break'));
export const emailContentSchema = z.object({
  subject: headerText(998),
  text: storableText().pipe(z.string().min(1, 'is required').max(200000)),
  html: storableText().pipe(z.string().max(500000)).optional(),
  /** One of the tenant's layouts: its #CUSTOMTEXT# gets the text (text part) and the HTML (HTML part). */
  layoutId: uuidSchema.optional(),
  /** Who sends it: From shows name and office, replies go to replyTo, and the footer says so. */
  sender: z
    .object({
      name: headerText(100),
      office: headerText(100),
      replyTo: storableText().pipe(z.string().trim().max(254, 'at most 254 characters').pipe(z.email('must be an e-mail address'))),
    })
    .strict()
    .optional(),
  /** The local part of From on the tenant's sending domain. */
  fromLocalPart: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/i, 'letters, digits and . _ + - only, at most 64')
    // "a..b@domain" is no address at all (RFC 5322 dot-atom): every mail of the campaign would fail.
    .refine((v) => !v.includes('..'), 'must not have two dots in a row')
    .default('noreply'),
  /** false: transactional mail (no List-Unsubscribe header, no unsubscribe links). */
  marketing: z.boolean().default(true),
});
export type SmsContent = { from: string; text: string };
export type EmailContent = z.infer<typeof emailContentSchema>;

export const createCampaignSchema = z.discriminatedUnion('channel', [
  z.object({
    name: storableText().pipe(z.string().trim().min(1, 'is required').max(200)),
    channel: z.literal('sms'),
    audience: audienceSchema,
    sms: smsContentSchema,
  }),
  z.object({
    name: storableText().pipe(z.string().trim().min(1, 'is required').max(200)),
    channel: z.literal('email'),
    audience: audienceSchema,
    email: emailContentSchema,
  }),
], { error: () => "must be 'sms' or 'email'" });
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

export type CampaignContent = { sms: SmsContent } | { email: EmailContent };

export interface CampaignView {
  id: string;
  name: string;
  channel: 'sms' | 'email';
  status: string;
  statusReason: string | null;
  audience: Audience;
  addressBookId: string | null;
  sms?: SmsContent;
  email?: EmailContent;
  counts: Record<string, number>;
  total: number;
  createdAt: string;
  executedAt: string | null;
  completedAt: string | null;
}
