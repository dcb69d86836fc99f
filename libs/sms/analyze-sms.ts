import { Injectable } from '@nestjs/common';
import { loadConfig, smsSchema } from '@utskick/config';
import { FieldError, parseInput, storableText } from '@utskick/http';
import { TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { characterCount, checkSmsText } from './check-sms';
import { parseTemplate } from './placeholders';
import { normaliseForGsm } from './segments';
import { loadSmsFraming } from './sms-framing';
import type { SmsEncoding } from './types';

export const analyzeSmsSchema = z
  .object({
    text: z.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') }).max(1600, 'at most 1,600 characters'),
    // As long as a sender's registered value may be (a 15-digit E.164 number is 16 characters); storable so the lookup cannot fail.
    from: storableText().pipe(z.string().max(32, 'at most 32 characters')).optional(),
    addressBookId: z.string().optional(),
  })
  .strict();

export interface SmsAnalysisView {
  encoding: SmsEncoding;
  units: number;
  parts: number;
  ucs2Characters: string[];
  footer: string;
  placeholders: string[];
  cap: { limit: number; length: number } | null;
  maxParts: number;
  normalised: { text: string; encoding: SmsEncoding; parts: number; replacements: { from: string; to: string; count: number }[] } | null;
  problems: FieldError[];
}

/**
 * What a composer shows while an SMS is typed: encoding, parts (footer included) and the
 * characters forcing UCS-2, a GSM normalisation offered (never applied), and the problems that
 * campaign creation would refuse — reported here, not thrown, so the composer can show them.
 */
@Injectable()
export class AnalyzeSms {
  private readonly sharedShortCode = loadConfig(smsSchema).SHARED_SHORT_CODE;

  constructor(private readonly ds: DataSource) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<SmsAnalysisView> {
    const body = parseInput(analyzeSmsSchema, input.body ?? {});
    const framing = await loadSmsFraming(this.ds, input.tenantId, { from: body.from, addressBookId: body.addressBookId }, this.sharedShortCode);
    const limits = { footer: framing.footer, textCap: framing.textCap, maxParts: framing.maxParts };
    const { analysis, problems } = checkSmsText({ text: body.text, ...limits });
    const parsed = parseTemplate(body.text);
    const norm = normaliseForGsm(body.text);
    const normAnalysis = norm.replacements.length ? checkSmsText({ text: norm.text, ...limits }).analysis : null;
    return {
      ...analysis,
      footer: framing.footer,
      placeholders: parsed.ok ? parsed.template.placeholders : [],
      cap: framing.textCap === null ? null : { limit: framing.textCap, length: characterCount(body.text) },
      maxParts: framing.maxParts,
      normalised: normAnalysis
        ? { text: norm.text, encoding: normAnalysis.encoding, parts: normAnalysis.parts, replacements: norm.replacements }
        : null,
      problems,
    };
  }
}
