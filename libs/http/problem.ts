import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  reason: string;
}

/**
 * A domain error with a stable code; the problem filter turns it into RFC 9457
 * application/problem+json. `retryable` tells a caller (or a consumer) whether trying again may help.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly retryable = false,
    /** RFC 9457 extension members: figures a client can act on (e.g. what a send costs). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  constructor(errors: FieldError[], message = 'The request body is not valid') {
    super('validation_failed', HttpStatus.BAD_REQUEST, message, errors);
  }
}

/** Not found — also what a tenant gets for another tenant's resource, so nothing leaks. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', HttpStatus.NOT_FOUND, `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, HttpStatus.CONFLICT, message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super('unauthorized', HttpStatus.UNAUTHORIZED, message);
  }
}
