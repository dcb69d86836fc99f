import type { SenderKind } from '@utskick/persistence';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

/** What a text costs to send: its encoding, units (septets or UTF-16 code units) and parts. */
export interface SmsAnalysis {
  encoding: SmsEncoding;
  /** GSM-7: septets (an extension character counts 2); UCS-2: UTF-16 code units (an emoji counts 2). */
  units: number;
  parts: number;
  /** Distinct characters outside GSM-7, in order of first appearance: each one alone forces UCS-2. */
  ucs2Characters: string[];
}

/** The sender a text goes out from, as far as the opt-out text needs it. */
export interface SenderRef {
  kind: SenderKind;
  value: string;
  keyword: string | null;
}

export type SmsLocale = 'sv' | 'en' | 'fr';
