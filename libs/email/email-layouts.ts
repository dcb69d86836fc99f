import { Injectable } from '@nestjs/common';
import { ConflictError, FieldError, isUuid, NotFoundError, parseInput, storableText, ValidationError } from '@utskick/http';
import { EmailLayoutEntity, TenantId } from '@utskick/persistence';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { checkEmailTemplates, CUSTOM_TEXT } from './render-email';

const layoutName = storableText().pipe(z.string().trim().min(1, 'is required').max(200, 'at most 200 characters'));
const layoutHtml = storableText().pipe(z.string().max(500000, 'at most 500,000 characters'));
const layoutText = storableText().pipe(z.string().max(200000, 'at most 200,000 characters'));

export const createEmailLayoutSchema = z
  .object({ name: layoutName, html: layoutHtml.nullish(), text: layoutText.nullish() })
  .strict();
export const updateEmailLayoutSchema = z
  .object({ name: layoutName.optional(), html: layoutHtml.nullable().optional(), text: layoutText.nullable().optional() })
  .strict();

export interface EmailLayoutView {
  id: string;
  name: string;
  html: string | null;
  text: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEmailLayoutView(l: EmailLayoutEntity): EmailLayoutView {
  return { id: l.id, name: l.name, html: l.html, text: l.text, createdAt: l.createdAt.toISOString(), updatedAt: l.updatedAt.toISOString() };
}

/** A layout has at least one part; each part places #CUSTOMTEXT# once and holds only known placeholders. */
function checkLayout(l: { html: string | null; text: string | null }): void {
  const errors: FieldError[] = [];
  if (!l.html && !l.text) errors.push({ field: 'body', reason: 'a layout needs html or text' });
  for (const field of ['html', 'text'] as const) {
    const part = l[field];
    if (!part) continue;
    const n = part.split(CUSTOM_TEXT).length - 1;
    if (n !== 1) errors.push({ field, reason: `must contain ${CUSTOM_TEXT} exactly once (where the campaign's text goes)` });
  }
  errors.push(...checkEmailTemplates([{ field: 'html', source: l.html }, { field: 'text', source: l.text }]));
  if (errors.length) throw new ValidationError(errors, 'The layout is not valid');
}

/** E-mail layouts, always within one tenant. */
@Injectable()
export class EmailLayoutsRepository {
  constructor(private readonly ds: DataSource) {}

  get repo() {
    return this.ds.getRepository(EmailLayoutEntity);
  }

  async get(tenantId: TenantId, id: string): Promise<EmailLayoutEntity> {
    const found = isUuid(id) ? await this.repo.findOneBy({ tenantId, id: id.toLowerCase() }) : null;
    if (!found) throw new NotFoundError('Layout');
    return found;
  }

  async exists(tenantId: TenantId, id: string): Promise<boolean> {
    return isUuid(id) && (await this.repo.existsBy({ tenantId, id: id.toLowerCase() }));
  }

  async list(tenantId: TenantId, limit: number, after?: string): Promise<EmailLayoutEntity[]> {
    const qb = this.repo.createQueryBuilder('l').where('l.tenant_id = :tenantId', { tenantId }).orderBy('l.id', 'ASC').limit(limit);
    if (after) qb.andWhere('l.id > :after', { after });
    return qb.getMany();
  }

  /** Whether a campaign being sent (queued or dispatching) renders with this layout: its mail must not change mid-send. */
  async usedBySending(tenantId: TenantId, id: string): Promise<boolean> {
    const [used] = await this.ds.query(
      `SELECT 1 FROM campaigns WHERE tenant_id = $1 AND status IN ('queued', 'dispatching') AND content->'email'->>'layoutId' = $2 LIMIT 1`,
      [tenantId, id],
    );
    return Boolean(used);
  }

  /** A layout that a campaign not yet finished still uses cannot go: its mail would change mid-send. */
  async delete(tenantId: TenantId, id: string): Promise<void> {
    const layout = await this.get(tenantId, id);
    const [used] = await this.ds.query(
      `SELECT 1 FROM campaigns WHERE tenant_id = $1 AND status IN ('draft', 'queued', 'dispatching') AND content->'email'->>'layoutId' = $2 LIMIT 1`,
      [tenantId, layout.id],
    );
    if (used) throw new ConflictError('layout_in_use', 'A campaign that is not completed uses this layout');
    await this.repo.delete({ tenantId, id: layout.id });
  }
}

@Injectable()
export class CreateEmailLayout {
  constructor(private readonly layouts: EmailLayoutsRepository) {}

  async execute(input: { tenantId: TenantId; body: unknown }): Promise<EmailLayoutView> {
    const data = parseInput(createEmailLayoutSchema, input.body);
    const layout = { html: data.html || null, text: data.text || null };
    checkLayout(layout);
    const saved = await this.layouts.repo.save(this.layouts.repo.create({ tenantId: input.tenantId, name: data.name, ...layout }));
    return toEmailLayoutView(saved);
  }
}

@Injectable()
export class UpdateEmailLayout {
  constructor(private readonly layouts: EmailLayoutsRepository) {}

  async execute(input: { tenantId: TenantId; layoutId: string; body: unknown }): Promise<EmailLayoutView> {
    const data = parseInput(updateEmailLayoutSchema, input.body);
    const layout = await this.layouts.get(input.tenantId, input.layoutId);
    if ((data.html !== undefined || data.text !== undefined) && (await this.layouts.usedBySending(input.tenantId, layout.id))) {
      throw new ConflictError('layout_in_use', 'A campaign being sent uses this layout; its content cannot change until that campaign completes');
    }
    if (data.name !== undefined) layout.name = data.name;
    if (data.html !== undefined) layout.html = data.html || null;
    if (data.text !== undefined) layout.text = data.text || null;
    checkLayout(layout);
    return toEmailLayoutView(await this.layouts.repo.save(layout));
  }
}
