import { storableText } from '@utskick/http';
import { z } from 'zod';

const text = (max: number, min = 0) =>
  storableText().pipe(z.string().trim().min(min, 'must not be empty').max(max, `at most ${max} characters`));

/** A contact as the API takes it; phone and e-mail are kept even when unusable (a skip status at send time). */
export const contactInputSchema = z.object({
  externalId: text(200, 1).nullish(),
  firstName: text(200).nullish(),
  lastName: text(200).nullish(),
  phone: text(64).nullish(),
  email: text(320).nullish(),
});
export type ContactInput = z.infer<typeof contactInputSchema>;



export const bulkContactsSchema = z.object({
  contacts: z.array(z.unknown()).min(1, 'must hold at least one contact').max(10000, 'at most 10,000 contacts per call'),
});

export interface ContactView {
  id: string;
  externalId: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  phoneE164: string | null;
  phoneType: string | null;
  email: string | null;
  createdAt: string;
  updatedAt: string;
}
