import type { FieldError } from '@utskick/http';
import { parseTemplate, renderTemplate } from './placeholders';
import { analyzeSms } from './segments';
import type { SmsAnalysis } from './types';

/** Length as a person counts it: code points, so an emoji is one character. */
export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Everything wrong with an SMS text before it may be sent: unknown placeholders, the tenant's
 * cap on the text before the footer (as written, placeholders included), and the part limit of
 * the text rendered with fallbacks (or nothing) plus the footer. The analysis is of that rendering.
 */
export function checkSmsText(input: {
  text: string;
  footer: string;
  textCap: number | null;
  maxParts: number;
  field?: string;
}): { analysis: SmsAnalysis; problems: FieldError[] } {
  const field = input.field ?? 'text';
  const problems: FieldError[] = [];
  const parsed = parseTemplate(input.text);
  let sample: string;
  if (parsed.ok) {
    sample = renderTemplate(parsed.template, {});
  } else {
    for (const name of parsed.unknown) problems.push({ field, reason: `unknown placeholder %${name}%` });
    sample = input.text;
  }
  const length = characterCount(input.text);
  if (input.textCap !== null && length > input.textCap) {
    problems.push({
      field,
      reason: `is ${length} characters; this account allows at most ${input.textCap} before the opt-out text`,
    });
  }
  const analysis = analyzeSms(sample + input.footer);
  if (analysis.parts > input.maxParts) {
    problems.push({ field, reason: `would be ${analysis.parts} parts; at most ${input.maxParts} are allowed` });
  }
  return { analysis, problems };
}
