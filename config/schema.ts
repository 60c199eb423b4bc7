/**
 * The configuration schema of a Ruche installation, with its defaults.
 *
 * Sources, later ones winning: these defaults → the install's config file
 * (`config/local.json`, or the path in `RUCHE_CONFIG`) → environment variables
 * (`RUCHE_*`, plus `PORT` and `HOST`). Community settings (site name, default
 * language, theme, plugins) live in the database, not here.
 */
import { z } from 'zod';

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const FLAGS: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };

/**
 * An on/off setting: true/false, or the strings "true"/"false"/"1"/"0" (what environment
 * variables and hand-written files hold). Anything else is refused; `z.coerce.boolean()`
 * would read the string "false" as true.
 */
const flag = (fallback: boolean) =>
  z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'], { error: 'must be true or false ("true", "false", "1" or "0")' })], {
      error: 'must be true or false ("true", "false", "1" or "0")',
    })
    .transform((v) => (typeof v === 'boolean' ? v : FLAGS[v]))
    .default(fallback);

export const configSchema = z.strictObject({
  /** Public address of the site, used in links (setup link, emails). Defaults to http://<host>:<port>. */
  siteUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Host names this site answers to (besides every network's own host and loopback names).
   * `["*"]` answers any host. Default: the host of `siteUrl` when it is set, else any host.
   */
  allowedHosts: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(
          /^(\*|(\*\.)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])$/,
          'must be host names (`community.example.com`, `*.example.com`) or "*"',
        ),
    )
    .optional(),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Processes `ruche start` serves with on the one port (node:cluster): a number, or `auto`
   * for one per core. Caches, chat and jobs stay right across them.
   */
  workers: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
  /** Where the SQLite file, uploads and mail live. Relative paths are from the working directory. */
  dataDir: z.string().min(1).default('./data'),
  /** `sqlite:<path>` or `postgres://user:pass@host:port/db`. Defaults to `sqlite:<dataDir>/ruche.sqlite`. */
  databaseUrl: z
    .string()
    .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<path> or postgres://...')
    .optional(),
  /** Secret for signing (CSRF tokens, links). Generated at install; at least 32 characters. */
  secret: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Trust X-Forwarded-* headers (set when running behind nginx). */
  trustProxy: flag(false),
  /**
   * With `trustProxy`: how many trusted proxies stand in front of Ruche. The client's address
   * is the `X-Forwarded-For` entry this many places from the right (what the outermost
   * trusted proxy appended); entries to its left are the client's own words and are ignored.
   */
  proxyHops: z.coerce.number().int().min(1).max(10).default(1),
  log: z
    .strictObject({
      level: logLevel.default('info'),
      /** Human-readable logs instead of JSON lines. */
      pretty: flag(false),
    })
    .default({ level: 'info', pretty: false }),
  session: z
    .strictObject({
      cookieName: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/)
        .default('ruche_sid'),
      /** A session unused this long ends. */
      idleMinutes: z.coerce
        .number()
        .int()
        .positive()
        .default(60 * 24 * 14),
      /** A session ends this long after sign-in, whatever its use. */
      absoluteDays: z.coerce.number().int().positive().default(60),
    })
    .default({ cookieName: 'ruche_sid', idleMinutes: 60 * 24 * 14, absoluteDays: 60 }),
  passwords: z
    .strictObject({
      /**
       * scrypt's cost as a power of two (N = 2^cost): 15 (32 MB, about 100 ms a hash) by default.
       * New hashes and re-hashes use it; stored hashes carry their own and always verify. Lower it
       * only for test suites: below 15, start-up logs a warning.
       */
      cost: z.coerce.number().int().min(10).max(20).default(15),
    })
    .default({ cost: 15 }),
  login: z
    .strictObject({
      /** Failed sign-ins allowed on one account from one address within the window (then 429 for that pair). */
      maxFailures: z.coerce.number().int().positive().default(10),
      /** Failed sign-ins allowed from one address, whatever the accounts, within the window (then 429 for that address). */
      addressMaxFailures: z.coerce.number().int().positive().default(30),
      /**
       * Failed sign-ins on one account, from all addresses, after which addresses that never
       * signed in to it wait before each attempt (1 s, doubling, at most the window). Never a lock:
       * the member's usual addresses are not slowed.
       */
      accountMaxFailures: z.coerce.number().int().positive().default(5),
      windowMinutes: z.coerce.number().int().positive().default(15),
    })
    .default({ maxFailures: 10, addressMaxFailures: 30, accountMaxFailures: 5, windowMinutes: 15 }),
  limits: z
    .strictObject({
      /** Largest accepted JSON body, e.g. `1mb`. */
      jsonBody: z
        .string()
        .regex(/^\d+(b|kb|mb)$/i)
        .default('1mb'),
      /** Largest accepted urlencoded form body. */
      formBody: z
        .string()
        .regex(/^\d+(b|kb|mb)$/i)
        .default('1mb'),
      /** Largest accepted form with files (uploads). */
      uploadBody: z
        .string()
        .regex(/^\d+(b|kb|mb|gb)$/i)
        .default('10mb'),
    })
    .default({ jsonBody: '1mb', formBody: '1mb', uploadBody: '10mb' }),
  compression: z
    .strictObject({
      /** Compress responses (brotli or gzip, by Accept-Encoding); turn off behind a proxy that compresses. */
      enabled: flag(true),
      /** Smallest body compressed, in bytes. */
      threshold: z.coerce.number().int().min(0).default(1024),
    })
    .default({ enabled: true, threshold: 1024 }),
  cache: z
    .strictObject({
      /** Keep rendered feed cards (core/cache/fragments.ts), keyed by everything they show. */
      fragments: flag(true),
      /** Memory the kept cards may use, in bytes (least recently used go first). */
      fragmentBytes: z.coerce
        .number()
        .int()
        .min(0)
        .default(16 * 1024 * 1024),
    })
    .default({ fragments: true, fragmentBytes: 16 * 1024 * 1024 }),
  memory: z
    .strictObject({
      /**
       * How far a serving process lets V8's old generation grow past what the last full
       * collection kept, in percent (0: V8's own factor, up to 300% on a small heap).
       */
      heapGrowthPercent: z.coerce.number().int().min(0).max(400).default(30),
    })
    .default({ heapGrowthPercent: 30 }),
  plugins: z
    .strictObject({
      /** Extra folders to look for plugins in, besides `plugins/` and `node_modules/ruche-plugin-*`. */
      dirs: z.array(z.string()).default([]),
    })
    .default({ dirs: [] }),
  mail: z
    .strictObject({
      /** `file` writes each message as an .eml file under <dataDir>/mail/ (and logs it); `smtp` sends it. */
      transport: z.enum(['file', 'smtp']).default('file'),
      /** Sender of every message. */
      from: z.string().min(3).default('Ruche <no-reply@localhost>'),
      smtp: z
        .strictObject({
          /** The SMTP server. */
          host: z.string().min(1).default('127.0.0.1'),
          port: z.coerce.number().int().min(1).max(65535).default(587),
          /** TLS from the start (port 465); otherwise STARTTLS when offered. */
          secure: flag(false),
          user: z.string().optional(),
          pass: z.string().optional(),
        })
        .default({ host: '127.0.0.1', port: 587, secure: false }),
    })
    .default({ transport: 'file', from: 'Ruche <no-reply@localhost>', smtp: { host: '127.0.0.1', port: 587, secure: false } }),
  themes: z
    .strictObject({
      /** Extra folders to look for themes in, besides `themes/`. */
      dirs: z.array(z.string()).default([]),
    })
    .default({ dirs: [] }),
  jobs: z
    .strictObject({
      /** Run background jobs in this process (scheduled posts, digests, mail retries). */
      enabled: flag(true),
      /** How often to look for due jobs. */
      pollMs: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
    })
    .default({ enabled: true, pollMs: 5_000 }),
  realtime: z
    .strictObject({
      /** How processes tell each other about new messages: `auto` is `memory` on SQLite, `postgres` (LISTEN/NOTIFY) on PostgreSQL. */
      pubsub: z.enum(['auto', 'memory', 'postgres']).default('auto'),
    })
    .default({ pubsub: 'auto' }),
  storage: z
    .strictObject({
      /** `local`: files under <dataDir>/uploads/. `s3`: an S3-compatible object store, for several machines. */
      driver: z.enum(['local', 's3']).default('local'),
      s3: z
        .strictObject({
          bucket: z
            .string()
            .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3 to 63 lowercase letters, digits, dots and dashes)'),
          /** The store's address (`https://s3.example.net`); leave out for Amazon S3. */
          endpoint: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
          region: z.string().min(1).default('us-east-1'),
          /** With secretAccessKey; both absent: the AWS_* variables or the machine's role. Prefer RUCHE_STORAGE__S3__ACCESS_KEY_ID. */
          accessKeyId: z.string().min(1).optional(),
          /** Prefer the environment: RUCHE_STORAGE__S3__SECRET_ACCESS_KEY. */
          secretAccessKey: z.string().min(1).optional(),
          /** Address objects as `endpoint/bucket/key` (MinIO and most self-hosted stores) rather than `bucket.endpoint/key`. */
          forcePathStyle: flag(false),
          /** Put every key under this folder of the bucket (`ruche/`), to share a bucket. */
          prefix: z
            .string()
            .regex(/^([a-z0-9][a-z0-9._-]*\/)*$/i, 'must be folder names each ending with "/" (e.g. "ruche/")')
            .default(''),
        })
        .refine((s) => !s.accessKeyId === !s.secretAccessKey, {
          message: 'accessKeyId and secretAccessKey go together: set both, or neither to use the AWS_* variables or the machine role',
        })
        .optional(),
    })
    .refine((s) => s.driver !== 's3' || s.s3, { message: 'driver is s3 but storage.s3 (bucket, endpoint, keys) is missing', path: ['s3'] })
    .default({ driver: 'local' }),
  backup: z
    .strictObject({
      /** A scheduled `ruche backup` every this many hours, by a serving process's job runner; 0: none. */
      everyHours: z.coerce.number().int().min(0).max(8760).default(0),
      /** Scheduled archives kept in `dir` (the oldest go); archives named otherwise are never deleted. */
      keep: z.coerce.number().int().min(1).max(1000).default(7),
      /** Where scheduled archives go. Default `<dataDir>/backups`. Relative paths are from the working directory. */
      dir: z.string().min(1).optional(),
    })
    .default({ everyHours: 0, keep: 7 }),
  audit: z
    .strictObject({
      /** Audit log entries older than this many days are deleted by the hourly housekeeping. */
      retentionDays: z.coerce.number().int().min(1).max(36_500).default(365),
    })
    .default({ retentionDays: 365 }),
  api: z
    .strictObject({
      /**
       * Requests each API token (or, without one, each member or address calling /api/) may make
       * per minute; answers carry `RateLimit-*` headers and a 429 past it.
       */
      requestsPerMinute: z.coerce.number().int().min(1).max(1_000_000).default(600),
      /**
       * Where the counts are kept: `memory` (this process), `database` (shared by every process),
       * or `auto`: the database in a worker of `ruche start --workers N`, so that the limit holds
       * across workers, memory otherwise.
       */
      rateLimitStore: z.enum(['auto', 'memory', 'database']).default('auto'),
    })
    .default({ requestsPerMinute: 600, rateLimitStore: 'auto' }),
  webhooks: z
    .strictObject({
      /**
       * Lets webhooks reach private, loopback, link-local and unique-local addresses (an
       * intranet receiver). Off: such a URL is refused when subscribed and when delivered (SSRF).
       */
      allowPrivateAddresses: flag(false),
      /** Milliseconds a receiver has to answer a delivery before it counts as failed. */
      timeoutMs: z.coerce.number().int().min(100).max(60_000).default(10_000),
    })
    .default({ allowPrivateAddresses: false, timeoutMs: 10_000 }),
  /** Milliseconds to wait for in-flight requests on shutdown before closing anyway. */
  shutdownTimeoutMs: z.coerce.number().int().positive().default(10_000),
});

export type ConfigInput = z.input<typeof configSchema>;
type Parsed = z.output<typeof configSchema>;

/** A validated configuration, with every derived value filled in. */
export type RucheConfig = Omit<Parsed, 'siteUrl' | 'databaseUrl' | 'secret' | 'allowedHosts' | 'backup'> & {
  siteUrl: string;
  /**
   * The host names the site answers to, lowercased (`*` = any, `*.example.com` = its
   * sub-domains); network hosts and loopback names are accepted besides. Derived: the
   * configured list, else the host of an explicitly set `siteUrl`, else `["*"]`.
   */
  allowedHosts: string[];
  databaseUrl: string;
  secret: string;
  /** Scheduled backups; `dir` is absolute (derived: `<dataDir>/backups` when not set). */
  backup: { everyHours: number; keep: number; dir: string };
  /** Absolute path of the config file this came from, if any. */
  configFile?: string;
};

/** Environment variables that map to config keys (besides the generic RUCHE_* mapping). */
export const ENV_ALIASES: Record<string, string> = {
  PORT: 'port',
  HOST: 'host',
};
