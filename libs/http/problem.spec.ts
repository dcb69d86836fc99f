import { HttpException, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import { NotFoundError, ValidationError } from './problem';
import { toProblem } from './problem.filter';
import { parseInput } from './validation';

describe('toProblem (RFC 9457)', () => {
  it('names each invalid field and its reason', () => {
    const schema = z.object({ name: z.string().min(1, 'is required'), sms: z.object({ text: z.string() }) });
    let caught: unknown;
    try {
      parseInput(schema, { name: '', sms: {} });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const p = toProblem(caught);
    expect(p).toMatchObject({ status: 400, title: 'Bad Request', code: 'validation_failed' });
    expect(p.type).toMatch(/^https:\/\//);
    expect(p.errors).toEqual([
      { field: 'name', reason: 'is required' },
      { field: 'sms.text', reason: expect.any(String) },
    ]);
  });

  it('maps body-parser failures to 400 naming the body, and unknown errors to a bare 500', () => {
    const parse = Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 });
    expect(toProblem(parse)).toMatchObject({ status: 400, errors: [{ field: 'body', reason: 'malformed JSON' }] });
    const internal = toProblem(new Error('password=hunter2 at /app/x.js:1'));
    expect(internal).toMatchObject({ status: 500, detail: 'An unexpected error occurred' });
    expect(JSON.stringify(internal)).not.toContain('hunter2');
  });

  it('keeps domain and HTTP statuses', () => {
    expect(toProblem(new NotFoundError('Campaign'))).toMatchObject({ status: 404, detail: 'Campaign not found' });
    expect(toProblem(new NotFoundException())).toMatchObject({ status: 404, code: 'not_found' });
    expect(toProblem(new HttpException('x', 503))).toMatchObject({ status: 503 });
  });
});
