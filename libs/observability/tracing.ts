import { context, propagation, trace, Context, Span, SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let started = false;

/**
 * Registers a tracer provider with the W3C trace-context propagator and async context.
 * Spans go to an OTLP/HTTP collector when OTEL_EXPORTER_OTLP_ENDPOINT is set, to the console
 * when OTEL_TRACES_CONSOLE=1, and nowhere otherwise (context still propagates).
 */
export function startTracing(serviceName: string): void {
  if (started) return;
  started = true;
  const spanProcessors: SpanProcessor[] = [];
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })));
  if (process.env.OTEL_TRACES_CONSOLE === '1') spanProcessors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
  const provider = new NodeTracerProvider({
    spanProcessors,
    resource: resourceFromAttributes({ 'service.name': serviceName }),
  });
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
