import { context, propagation, trace, Context, Span, SpanKind } from '@opentelemetry/api';
import { BatchSpanProcessor, ConsoleSpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let started = false;

/**
 * Registers a tracer provider with the W3C trace-context propagator and async context.
 * Spans are exported to the console only when OTEL_TRACES_CONSOLE=1; an OTLP collector is
 * wired by the deployment (OTEL_EXPORTER_OTLP_ENDPOINT) in a later step.
 */
export function startTracing(serviceName: string): void {
  if (started) return;
  started = true;
  const spanProcessors: SpanProcessor[] = [];
  if (process.env.OTEL_TRACES_CONSOLE === '1') spanProcessors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
  const provider = new NodeTracerProvider({ spanProcessors });
  provider.register();
  process.env.SERVICE_NAME ??= serviceName;
}

export const tracer = () => trace.getTracer('utskick');

type Carrier = Record<string, string>;

/** W3C trace context of the active span, as headers to put on an outgoing message or request. */
export function currentTraceHeaders(ctx: Context = context.active()): Carrier {
  const carrier: Carrier = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

export function contextFromHeaders(get: (name: string) => string | undefined): Context {
  return propagation.extract(context.active(), {}, {
    keys: () => ['traceparent', 'tracestate'],
    get: (_c, key) => get(key),
  });
}

/** Runs fn inside a span whose parent is the given context. */
export async function inSpan<T>(
  name: string,
  parent: Context,
  kind: SpanKind,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(name, { kind }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } finally {
    span.end();
  }
}

export { SpanKind };
