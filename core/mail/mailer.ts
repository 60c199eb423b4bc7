/**
 * Outgoing mail through nodemailer. The default `file` transport writes each message as
 * an .eml file under `<dataDir>/mail/` and logs its subject and first link, so a fresh
 * install (and the test suite) can follow every emailed link; `smtp` sends for real.
 * Messages are rendered from templates `<owner>/mail/<name>.html` and `.text`, in the
 * recipient's language, with the subject from the i18n key `<owner>.mail.<name>.subject`.
 * Plugins, whose template names may not contain dots, name them `mail/<name>-html` and
 * `mail/<name>-text` (files `templates/mail/<name>-html.hbs`, `-text.hbs`); both spellings
 * are looked up. `headers` adds headers such as `List-Unsubscribe`.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { RucheConfig } from '../config';
import type { Logger } from '../logger';
import type { I18n } from '../i18n/i18n';
import type { ViewEngine } from '../views/engine';
import type { RenderEnv } from '../views/helpers';

export interface MailMessage {
  to: string;
  locale: string;
  /** `<owner>/<name>`, e.g. `core/verify-email`: renders `core/mail/verify-email.html` and `.text`. */
  template: string;
  data?: Record<string, unknown>;
  /** Network whose theme and name are used (default: the site's). */
  theme?: string;
  siteName: string;
  /** Where the network's pages start (`networkUrl`), for the footer's link (default: the site URL). */
  siteUrl?: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** For the file transport: where the .eml was written. */
  file?: string;
}

export class Mailer {
  private readonly transport: Transporter;
  /** Orders files written within the same millisecond. */
  private sequence = 0;

  constructor(
    private readonly config: RucheConfig,
    private readonly logger: Logger,
    private readonly views: ViewEngine,
    private readonly i18n: I18n,
  ) {
    const m = config.mail;
    this.transport =
      m.transport === 'smtp'
        ? nodemailer.createTransport({
            host: m.smtp.host,
            port: m.smtp.port,
            secure: m.smtp.secure,
            auth: m.smtp.user ? { user: m.smtp.user, pass: m.smtp.pass ?? '' } : undefined,
          })
        : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  get mailDir(): string {
    return path.join(this.config.dataDir, 'mail');
  }

  /** Renders and sends one message; throws when the transport fails (callers decide on retries). */
  async send(msg: MailMessage): Promise<SentMail> {
    const [owner, name] = splitTemplate(msg.template);
    const data = { siteName: msg.siteName, siteUrl: msg.siteUrl ?? this.config.siteUrl, ...msg.data };
    const env = this.env(msg.locale);
    const theme = msg.theme ?? 'default';
    const subject = this.i18n.t(msg.locale, `${owner}.mail.${name}.subject`, data);
    const text = this.views.render(theme, this.part(owner, name, 'text'), data, env, false);
    const content = this.views.render(theme, this.part(owner, name, 'html'), { ...data, subject }, env, false);
    const html = this.views.render(theme, 'core/mail/layout.html', { ...data, subject, lang: msg.locale, content }, env, false);
    const info = (await this.transport.sendMail({ from: this.config.mail.from, to: msg.to, subject, text, html, headers: msg.headers })) as {
      messageId: string;
      message?: Buffer;
    };
    let file: string | undefined;
    if (this.config.mail.transport === 'file' && info.message) {
      fs.mkdirSync(this.mailDir, { recursive: true });
      file = path.join(this.mailDir, `${Date.now()}-${String(++this.sequence).padStart(6, '0')}-${crypto.randomBytes(3).toString('hex')}.eml`);
      fs.writeFileSync(file, info.message);
      const link = /https?:\/\/\S+/.exec(text)?.[0];
      this.logger.info({ to: msg.to, subject, link, file }, `mail written: ${subject}${link ? ` — ${link}` : ''}`);
    } else {
      this.logger.info({ to: msg.to, subject, messageId: info.messageId }, `mail sent: ${subject}`);
    }
    return { messageId: info.messageId, file };
  }

  /** `<owner>/mail/<name>.<part>` (core) or `<owner>/mail/<name>-<part>` (plugins). */
  private part(owner: string, name: string, part: 'html' | 'text'): string {
    const dotted = `${owner}/mail/${name}.${part}`;
    const dashed = `${owner}/mail/${name}-${part}`;
    return !this.views.templateNames().includes(dotted) && this.views.templateNames().includes(dashed) ? dashed : dotted;
  }

  close(): void {
    this.transport.close();
  }

  private env(locale: string): RenderEnv {
    const base = this.config.siteUrl;
    return {
      locale,
      csrfToken: '',
      now: new Date(),
      can: () => false,
      url: (p) => (p.startsWith('/') ? base + p : p),
      asset: (ref) => `${base}/assets/theme/default/${ref}`,
    };
  }
}

function splitTemplate(template: string): [string, string] {
  const i = template.indexOf('/');
  if (i < 1) throw new Error(`mail template "${template}" must be <owner>/<name>`);
  return [template.slice(0, i), template.slice(i + 1)];
}
