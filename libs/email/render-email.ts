import { FieldError } from '@utskick/http';
import { parseTemplate, renderTemplate, Template } from '@utskick/sms';

/** Placeholders an e-mail's subject, text, HTML and layouts may hold. */
export const EMAIL_PLACEHOLDERS = ['NAME', 'FIRST_NAME', 'LAST_NAME', 'UNSUBSCRIBE_URL', 'RESUBSCRIBE_URL'] as const;
/** A confirmation request (a system mail) may also place its confirm link. */
export const CONFIRMATION_PLACEHOLDERS = [...EMAIL_PLACEHOLDERS, 'CONFIRM_URL'] as const;

/** Where a layout puts the campaign's own text (text part) or HTML (HTML part). */
export const CUSTOM_TEXT = '#CUSTOMTEXT#';

/** A campaign's e-mail content as stored (fields added later are optional on older rows). */
export interface EmailContentData {
  subject: string;
  text: string;
  html?: string | null;
  layoutId?: string | null;
  sender?: EmailSender | null;
  fromLocalPart?: string;
  /** false: transactional mail (no List-Unsubscribe, no unsubscribe links in the footer). */
  marketing?: boolean;
  /** 'confirmation' for a confirmation request. */
  kind?: string;
}

export interface EmailSender {
  name: string;
  office: string;
  replyTo: string;
}

export interface EmailLayoutData {
  html: string | null;
  text: string | null;
}

export type EmailLocale = 'sv' | 'en' | 'fr';

export interface RenderEmailInput {
  content: EmailContentData;
  layout?: EmailLayoutData | null;
  contact: { firstName?: string | null; lastName?: string | null };
  /** The recipient's own links; null for transactional mail. */
  links: { unsubscribe: string; resubscribe: string } | null;
  /** A confirmation request's link (%CONFIRM_URL%). */
  confirmUrl?: string;
  /** Who sent it and from which office; defaults to the content's sender. */
  sender?: { name: string; office: string } | null;
  tenantName?: string;
  locale?: EmailLocale;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** CR and LF become spaces: a value that ends up in a header can never start another one. */
export function oneLine(value: string): string {
  return value.replace(/\r\n|[\r\n]/g, ' ');
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function parse(source: string, allowed: readonly string[]): Template {
  const r = parseTemplate(source, allowed, { percentEncoding: true });
  // Unknown placeholders are refused when a campaign or layout is saved; one here is a bug.
  if (!r.ok) throw new Error(`e-mail template with unknown placeholders: ${r.unknown.join(', ')}`);
  return r.template;
}

/** Each unknown placeholder of each field, named as written (for a 400 at compose time). */
export function checkEmailTemplates(fields: { field: string; source: string | null | undefined }[], allowed: readonly string[] = EMAIL_PLACEHOLDERS): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of fields) {
    if (!f.source) continue;
    const r = parseTemplate(f.source, allowed, { percentEncoding: true });
    if (!r.ok) for (const name of r.unknown) errors.push({ field: f.field, reason: `unknown placeholder %${name}%` });
  }
  return errors;
}

const FOOTER: Record<EmailLocale, { sentBy: (who: string) => string; unsubscribe: [string, string]; resubscribe: [string, string] }> = {
  sv: {
    sentBy: (who) => `Skickat av ${who}.`,
    unsubscribe: ['Vill du inte få fler utskick?', 'Avregistrera dig'],
    resubscribe: ['Avregistrerade du dig av misstag?', 'Prenumerera igen'],
  },
  en: {
    sentBy: (who) => `Sent by ${who}.`,
    unsubscribe: ['Do not want these e-mails?', 'Unsubscribe'],
    resubscribe: ['Unsubscribed by mistake?', 'Subscribe again'],
  },
  fr: {
    sentBy: (who) => `Envoyé par ${who}.`,
    unsubscribe: ['Vous ne souhaitez plus recevoir ces e-mails ?', 'Se désabonner'],
    resubscribe: ['Désabonné par erreur ?', 'Se réabonner'],
  },
};

/** Literal text and placeholders of a layout part, split at #CUSTOMTEXT# (the campaign's text goes between). */
function layoutParts(source: string, allowed: readonly string[]): { before: Template; after: Template } {
  const at = source.indexOf(CUSTOM_TEXT);
  const [before, after] = at < 0 ? [source, ''] : [source.slice(0, at), source.slice(at + CUSTOM_TEXT.length)];
  return { before: parse(before, allowed), after: parse(after, allowed) };
}

const LINK = /https?:\/\/[^\s<>"']+/g;

/** Plain text as an HTML fragment: escaped, paragraphs at blank lines, line breaks kept, links clickable. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p).replace(LINK, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

/**
 * One recipient's mail: placeholders rendered in subject, text and HTML (contact data HTML-escaped in
 * HTML), the layout around the campaign's own text, and a footer in both parts saying who sent it and,
 * for marketing mail, how to unsubscribe and re-subscribe (unless the text already placed that link).
 */
export function renderEmail(input: RenderEmailInput): RenderedEmail {
  const { content, contact } = input;
  const allowed = content.kind === 'confirmation' ? CONFIRMATION_PLACEHOLDERS : EMAIL_PLACEHOLDERS;
  const extra: Record<string, string> = {
    UNSUBSCRIBE_URL: input.links?.unsubscribe ?? '',
    RESUBSCRIBE_URL: input.links?.resubscribe ?? '',
    CONFIRM_URL: input.confirmUrl ?? '',
  };
  const plain = (t: Template) => renderTemplate(t, contact, { extra });
  const html = (t: Template) => renderTemplate(t, contact, { extra, escape: escapeHtml });
  const locale = FOOTER[input.locale ?? 'sv'] ? (input.locale ?? 'sv') : 'sv';
  const words = FOOTER[locale];

  const subject = oneLine(plain(parse(content.subject, allowed))).trim();
  const textTemplate = parse(content.text, allowed);
  const htmlTemplate = content.html ? parse(content.html, allowed) : null;
  const layoutText = input.layout?.text ? layoutParts(input.layout.text, allowed) : null;
  const layoutHtml = input.layout?.html ? layoutParts(input.layout.html, allowed) : null;

  const placed = (name: string, ...ts: (Template | null | undefined)[]) => ts.some((t) => t?.placeholders.includes(name));

  // Text part.
  const ownText = plain(textTemplate);
  let text = layoutText ? plain(layoutText.before) + ownText + plain(layoutText.after) : ownText;
  const textPlaced = [textTemplate, layoutText?.before, layoutText?.after];

  // HTML part: the campaign's HTML, else its text as HTML; inside the layout's HTML when it has one.
  let body = htmlTemplate ? html(htmlTemplate) : textToHtml(ownText);
  const htmlPlaced = [htmlTemplate ?? textTemplate, layoutHtml?.before, layoutHtml?.after];
  if (layoutHtml) body = html(layoutHtml.before) + body + html(layoutHtml.after);

  // Footer.
  const sender = input.sender !== undefined ? input.sender : content.sender;
  const who = sender ? `${oneLine(sender.name)}, ${oneLine(sender.office)}${input.tenantName ? ` (${oneLine(input.tenantName)})` : ''}` : input.tenantName ? oneLine(input.tenantName) : null;
  const textFooter: string[] = [];
  const htmlFooter: string[] = [];
  if (who) {
    textFooter.push(words.sentBy(who));
    htmlFooter.push(`<p>${escapeHtml(words.sentBy(who))}</p>`);
  }
  const links: [keyof typeof extra, 'unsubscribe' | 'resubscribe'][] = [
    ['UNSUBSCRIBE_URL', 'unsubscribe'],
    ['RESUBSCRIBE_URL', 'resubscribe'],
  ];
  if (input.links) {
    for (const [name, kind] of links) {
      const url = input.links[kind];
      const [question, action] = words[kind];
      if (!placed(name, ...textPlaced)) textFooter.push(`${question} ${action}: ${url}`);
      if (!placed(name, ...htmlPlaced)) htmlFooter.push(`<p>${escapeHtml(question)} <a href="${escapeHtml(url)}">${escapeHtml(action)}</a></p>`);
    }
  }
  if (textFooter.length) text = `${text.replace(/\s+$/, '')}\n\n-- \n${textFooter.join('\n')}\n`;

  const footerHtml = htmlFooter.length
    ? `<div class="utskick-footer" style="margin-top:2em;padding-top:1em;border-top:1px solid #ccc;font-size:0.85em;color:#444">\n${htmlFooter.join('\n')}\n</div>`
    : '';
  const isDocument = /<html[\s>]/i.test(body);
  let out: string;
  if (isDocument) {
    const end = body.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
    out = end < 0 ? body + footerHtml : body.slice(0, end) + footerHtml + '\n' + body.slice(end);
  } else {
    out =
      `<!doctype html>\n<html lang="${locale}">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
      `<title>${escapeHtml(subject)}</title>\n</head>\n<body>\n${body}\n${footerHtml}\n</body>\n</html>\n`;
  }
  return { subject, text, html: out };
}
