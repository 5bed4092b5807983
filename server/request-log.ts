// Which requests the log records. A wall polling every few seconds, or a county office refreshing
// its page, would write two info lines per request; by default only failures are logged (a response
// stream that broke, and the 500s the errors plugin logs with their cause). LOG_REQUESTS=1 (the
// `logRequests` option) brings back Fastify's line per incoming and completed request.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class FailuresOnly extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
  }
}

/** Fastify's log controller for the `logRequests` setting. */
export const requestLog = (logRequests: boolean): LogController => (logRequests ? new LogController() : new FailuresOnly());
