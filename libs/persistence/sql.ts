import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs raw SQL and returns its rows. TypeORM answers UPDATE/DELETE … RETURNING as
 * [rows, affectedCount] and everything else as rows; hot paths want the rows either way.
 */
export async function sqlRows<T = Record<string, unknown>>(db: DataSource | EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  const result = await db.query(text, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/** PostgreSQL text and jsonb hold no NUL and no lone surrogate: what a remote party sent is stored without them. */
export function storableString(s: string): string {
  return (s.replace(/\u0000/g, '') as string & { toWellFormed(): string }).toWellFormed();
}
