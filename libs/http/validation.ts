import { z } from 'zod';
import { ValidationError } from './problem';

/** Parses input with a schema; a failure becomes a 400 naming each field and its reason. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const field = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter(Boolean).join('.') || 'body';
  throw new ValidationError(
    result.error.issues.flatMap((i) =>
      // An unknown key is named as the field itself, not as its parent object.
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ field: field([...i.path, k]), reason: 'is not a known field' }))
        : [{ field: field(i.path), reason: i.message }],
    ),
  );
}

export const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

/** Path ids: a malformed one is simply not found (it cannot name anything of the tenant's). */
export function isUuid(id: string): boolean {
  return uuidSchema.safeParse(id).success;
}

/**
 * Text PostgreSQL can store: no NUL character, no unpaired surrogate (a truncated emoji). Either
 * would otherwise fail the write with a 500 instead of a 400 naming the field.
 */
export function storableText() {
  return z.string().refine((v) => !v.includes('\u0000') && (v as string & { isWellFormed(): boolean }).isWellFormed(), {
    message: 'contains a NUL character or an unpaired surrogate',
  });
}

/**
 * One page of a keyset-paginated list: the query fetched `limit + 1` rows in id order; the extra
 * row only says that there is a next page, whose cursor is the last id shown.
 */
export function toPage<R extends { id: unknown }, V>(rows: R[], limit: number, view: (row: R) => V): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { items: page.map(view), nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null };
}
