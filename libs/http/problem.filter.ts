import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { logger } from '@utskick/observability';
import type { Response } from 'express';
import { DomainError, FieldError } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  [k: string]: unknown;
}

/** Every error leaves as RFC 9457 problem+json; an unexpected one is logged and answered 500 without internals. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly log = logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(err);
    if (problem.status >= 500 && !(err instanceof HttpException && err.getStatus() === 503)) {
      // Message and code only: a database error's parameters hold the request's personal data.
      const e = err as { name?: string; message?: string; code?: string; stack?: string };
      this.log.error({ err: { name: e?.name, message: e?.message, code: e?.code, stack: e?.stack } }, 'unhandled error');
    }
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

export function toProblem(err: unknown): Problem {
  const make = (status: number, code: string, detail: string, errors?: FieldError[], extra: object = {}): Problem => ({
    type: `https://utskick.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
    ...extra,
  });
  if (err instanceof DomainError) return make(err.status, err.code, err.message, err.errors, err.extensions);
  // body-parser failures: malformed JSON, wrong charset, too large.
  const e = err as { type?: string; status?: number; message?: string };
  if (e && typeof e === 'object' && typeof e.type === 'string' && typeof e.status === 'number') {
    if (e.type === 'entity.parse.failed') {
      return make(400, 'malformed_body', 'The request body is not valid JSON', [{ field: 'body', reason: 'malformed JSON' }]);
    }
    if (e.type === 'entity.too.large') return make(413, 'body_too_large', 'The request body is too large');
    if (e.status >= 400 && e.status < 500) return make(e.status, 'bad_request', e.message ?? 'Bad request');
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const extra = typeof body === 'object' && body !== null && status === 503 ? (body as object) : {};
    if (status === 400) {
      // Nest's own parse failures (malformed JSON body, bad encoding) arrive as plain 400s.
      return make(400, 'malformed_body', 'The request body could not be parsed', [{ field: 'body', reason: err.message }]);
    }
    const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : `http_${status}`;
    const detail = status === 404 ? 'No such resource' : err.message;
    return make(status, code, detail, undefined, extra);
  }
  return make(HttpStatus.INTERNAL_SERVER_ERROR, 'internal', 'An unexpected error occurred');
}
