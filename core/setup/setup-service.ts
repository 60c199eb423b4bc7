/**
 * First run: until a root admin exists, a one-time setup link (printed on the console)
 * opens a page that creates the first admin and names the site. The token is stored hashed
 * in `core_settings`, so any process of the install can check it.
 */
import type { Knex } from 'knex';
import type { Users, FieldErrors } from '../auth/users';
import type { Networks } from '../networks';
import { isLocale } from '../i18n/i18n';
import { randomToken, safeEqual, sha256 } from '../auth/tokens';

const KEY = 'setup_token';

export interface SetupInput {
  siteName: string;
  locale: string;
  username: string;
  email: string;
  displayName?: string;
  password: string;
  passwordConfirm: string;
}

export class SetupService {
  private done = false;

  constructor(
    private readonly db: Knex,
    private readonly users: Users,
    private readonly networks: Networks,
  ) {}

  async needsSetup(): Promise<boolean> {
    if (this.done) return false;
    this.done = (await this.users.countRootAdmins()) > 0;
    return !this.done;
  }

  /** A new one-time token (the previous one stops working). */
  async issueToken(): Promise<string> {
    const token = randomToken(24);
    await this.db('core_settings')
      .insert({ key: KEY, value: sha256(token) })
      .onConflict('key')
      .merge(['value']);
    return token;
  }

  async checkToken(token: unknown): Promise<boolean> {
    if (typeof token !== 'string' || !token || token.length > 100) return false;
    const row: { value: string } | undefined = await this.db('core_settings').where({ key: KEY }).first('value');
    return !!row && safeEqual(row.value, sha256(token));
  }

  /** Creates the first admin and names the site; field errors when the input is invalid. */
  async complete(input: SetupInput): Promise<{ userId: number } | { errors: FieldErrors }> {
    const errors: FieldErrors = {};
    const siteName = input.siteName.trim();
    if (!siteName) errors.siteName = { key: 'core.setup.error.siteNameRequired' };
    else if (siteName.length > 100) errors.siteName = { key: 'core.setup.error.siteNameTooLong' };
    if (!isLocale(input.locale)) errors.locale = { key: 'core.setup.error.locale' };
    const userErrors = await this.users.validate(input);
    Object.assign(errors, userErrors);
    if (!errors.password && input.password !== input.passwordConfirm) errors.passwordConfirm = { key: 'core.setup.error.passwordMismatch' };
    if (Object.keys(errors).length) return { errors };
    const created = await this.users.create(
      {
        username: input.username,
        email: input.email,
        displayName: input.displayName,
        password: input.password,
        locale: input.locale,
        isRootAdmin: true,
        emailVerified: true,
      },
      'admin',
    );
    if ('errors' in created) return created;
    await this.networks.update(this.networks.root().id, { name: siteName, locale: input.locale });
    await this.db('core_settings').where({ key: KEY }).delete();
    this.done = true;
    return { userId: created.id };
  }
}
