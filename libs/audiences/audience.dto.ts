import { storableText, uuidSchema } from '@utskick/http';
import type { AddressBookEntity, SenderEntity } from '@utskick/persistence';
import { z } from 'zod';
import { SENDER_KINDS } from './sender-rules';

export const createSenderSchema = z
  .object({
    kind: z.enum(SENDER_KINDS, { error: `must be one of ${SENDER_KINDS.join(', ')}` }),
    value: storableText().pipe(z.string().max(32, 'at most 32 characters')),
    keyword: storableText().pipe(z.string().max(20, 'at most 20 characters')).nullish(),
  })
  .strict();

const bookName = storableText().pipe(z.string().trim().min(1, 'is required').max(200, 'at most 200 characters'));

export const createAddressBookSchema = z
  .object({
    name: bookName,
    senderId: uuidSchema.nullish(),
    optOutText: z.boolean().default(true),
    marketing: z.boolean().default(true),
  })
  .strict();

export const updateAddressBookSchema = z
  .object({
    name: bookName.optional(),
    senderId: uuidSchema.nullable().optional(),
    optOutText: z.boolean().optional(),
    marketing: z.boolean().optional(),
  })
  .strict();

export const addBookContactsSchema = z
  .object({
    contactIds: z.array(uuidSchema).min(1, 'must name at least one contact').max(10000, 'at most 10,000 contacts per call'),
  })
  .strict();

export interface SenderView {
  id: string;
  kind: string;
  value: string;
  keyword: string | null;
  createdAt: string;
}

export interface AddressBookView {
  id: string;
  name: string;
  senderId: string | null;
  optOutText: boolean;
  marketing: boolean;
  memberCount?: number;
  createdAt: string;
  updatedAt: string;
}

export function toSenderView(s: SenderEntity): SenderView {
  return { id: s.id, kind: s.kind, value: s.value, keyword: s.keyword, createdAt: s.createdAt.toISOString() };
}

export function toAddressBookView(b: AddressBookEntity, memberCount?: number): AddressBookView {
  return {
    id: b.id,
    name: b.name,
    senderId: b.senderId,
    optOutText: b.optOutText,
    marketing: b.marketing,
    ...(memberCount === undefined ? {} : { memberCount }),
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}
