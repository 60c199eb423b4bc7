/** Keys and self-signed certificates made with openssl for the tests' servers (a SAML IdP, slapd over TLS). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * An RSA key and a self-signed certificate (PEM) for `/CN=<cn>`, valid two days; `altNames`
 * (e.g. `IP:127.0.0.1`) names the hosts a TLS client checks it against.
 */
export function selfSignedCertificate(cn: string, altNames?: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'ruche-cert-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`];
    if (altNames) args.push('-addext', `subjectAltName=${altNames}`);
    execFileSync('openssl', args, { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
