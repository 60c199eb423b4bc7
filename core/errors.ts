/**
 * Errors the core knows how to present.
 *
 * - `HttpError` carries a status and an i18n key; the error boundary renders it as a
 *   localised page (or a JSON body under /api/) without exposing internals.
 * - `StartupError` stops start-up (or a CLI command) with one clear, coded line.
 */
export class HttpError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    /** i18n key of the message shown to the user. */
    readonly messageKey: string = `core.error.${status}.message`,
    readonly params: Record<string, unknown> = {},
    /** Machine-readable code for API clients. */
    readonly code: string = defaultCode(status),
    /** Localised problems per input field (`body.title`, `query.limit`...), given to API clients. */
    readonly fields?: Record<string, string>,
  ) {
    super(`${status} ${messageKey}`);
    this.name = 'HttpError';
  }
}

function defaultCode(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'invalid';
    case 429:
      return 'too_many_requests';
    default:
      return status >= 500 ? 'internal_error' : 'error';
  }
}

export const notFound = (): HttpError => new HttpError(404);
export const forbidden = (): HttpError => new HttpError(403);

/** A problem found while starting (config, plugins, database). `code` is stable, e.g. `E_PLUGIN_MANIFEST`. */
export class StartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
  /** The one line printed by the CLI. */
  toLine(): string {
    return `${this.code}: ${this.message}`;
  }
}
