// The one pino configuration. Requests are logged by request-logging.ts with method, route
// pattern, status and time only; the serializers here make sure that a stray `req`, `res` or
// `err` passed to a log call cannot carry a URL, a query, headers, a body or a message that
// quotes input.

import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.authorization',
  '*.access_token',
  '*.accessToken',
  '*.token',
  '*.client_assertion',
  '*.privateKey',
  'access_token',
  'token',
];

interface RequestLike {
  method?: string;
  routeOptions?: { url?: string };
  id?: unknown;
}

interface ReplyLike {
  statusCode?: number;
}

/** An error as logs may show it: its kind and where it came from, never its message. */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  // The first stack line repeats the message, which may quote input; the frames do not.
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .map((line) => line.trim());
  return { type: err.name, ...(typeof code === 'string' ? { code } : {}), stack: frames.join('\n') };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'fhir-prescreen' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req: RequestLike) => ({ method: req.method, route: req.routeOptions?.url }),
        res: (res: ReplyLike) => ({ statusCode: res.statusCode }),
        err: safeError,
      },
    },
    destination,
  );
}
