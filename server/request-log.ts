// Which requests the log records. A wall polling every few seconds, or a county office refreshing
// its page, would write two info lines per request; by default only failures are logged (a response
// stream that broke, and the 500s the errors plugin logs with their cause). LOG_REQUESTS=1 (the
// `logRequests` option) brings back Fastify's line per incoming and completed request.
import { LogController, type FastifyBaseLogger, type FastifyLogFn, type FastifyReply, type FastifyRequest } from 'fastify';

type ChildLoggerOptions = Parameters<FastifyBaseLogger['child']>[1];

export class FailuresOnly extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
  }
}

/** Fastify's log controller for the `logRequests` setting. */
export const requestLog = (logRequests: boolean): LogController => (logRequests ? new LogController() : new FailuresOnly());

type Bindings = Record<string, unknown>;

/**
 * A request's logger that becomes a real child (with the request id) only when something logs
 * through it. Fastify makes a child logger for every request; pino's child() serializes the bindings
 * each time, a cost every cached answer paid though it logs nothing (only failures are logged).
 */
export class LazyChildLogger {
  #child: FastifyBaseLogger | null = null;
  constructor(
    readonly parent: FastifyBaseLogger,
    readonly requestBindings: Bindings,
    readonly options: ChildLoggerOptions | undefined,
  ) {}

  get real(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.requestBindings, this.options));
  }

  get level(): string {
    return this.real.level;
  }
  set level(level: string) {
    this.real.level = level;
  }
  fatal(...args: Parameters<FastifyLogFn>): void {
    this.real.fatal(...args);
  }
  error(...args: Parameters<FastifyLogFn>): void {
    this.real.error(...args);
  }
  warn(...args: Parameters<FastifyLogFn>): void {
    this.real.warn(...args);
  }
  info(...args: Parameters<FastifyLogFn>): void {
    this.real.info(...args);
  }
  debug(...args: Parameters<FastifyLogFn>): void {
    this.real.debug(...args);
  }
  trace(...args: Parameters<FastifyLogFn>): void {
    this.real.trace(...args);
  }
  silent(...args: Parameters<FastifyLogFn>): void {
    this.real.silent(...args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
  isLevelEnabled(level: string): boolean {
    return (this.real as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level);
  }
  bindings(): Bindings {
    return (this.real as unknown as { bindings(): Bindings }).bindings();
  }
}

/** Fastify's childLoggerFactory: each request's logger is made when first used. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
