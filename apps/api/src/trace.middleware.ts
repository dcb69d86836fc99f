import { Injectable, NestMiddleware } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import { contextFromHeaders, SpanKind, tracer } from '@utskick/observability';
import type { NextFunction, Request, Response } from 'express';

/** Continues the caller's W3C trace (traceparent header) in a server span around the request. */
@Injectable()
export class TraceMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const parent = contextFromHeaders((k) => req.header(k) ?? undefined);
    const span = tracer().startSpan(`${req.method} ${req.path}`, { kind: SpanKind.SERVER }, parent);
    res.on('finish', () => {
      span.setAttribute('http.status_code', res.statusCode);
      span.end();
    });
    context.with(trace.setSpan(parent, span), () => next());
  }
}
