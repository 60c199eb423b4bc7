/** The directory of a network, and signing a person in with it. */
import type { ExternalIdentity, NetworkInfo, Runtime } from '../../core';
import { authenticate, type DirectoryFailure } from './directory';
import { identityOf } from './identity';
import { SSO_LDAP_PLUGIN_ID } from './constants';
import { directoryOf, type LdapSettings } from './settings';

export class LdapSignIn {
  static readonly uses = ['networks', 'pluginState'] as const;
  constructor(private readonly rt: Pick<Runtime, (typeof LdapSignIn.uses)[number]>) {}

  /** The directory configured for `network`, or undefined. */
  directory(network: NetworkInfo): LdapSettings | undefined {
    return directoryOf(this.rt.pluginState.settings(SSO_LDAP_PLUGIN_ID, network.id));
  }

  /** The name on the button: the label, or the directory's host. */
  label(s: LdapSettings): string {
    return s.label || new URL(s.url).hostname;
  }

  /** The person the directory vouches for with this password, as the core's identity; or why not. */
  async authenticate(s: LdapSettings, login: string, password: string): Promise<ExternalIdentity | DirectoryFailure> {
    const person = await authenticate(s, login, password);
    return 'failure' in person ? person : identityOf(this.rt, s, person);
  }
}
