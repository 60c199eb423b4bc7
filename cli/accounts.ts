/** Account helpers shared by `ruche install` and `ruche user`. */
import { normaliseEmail } from '../core/auth/users';
import { prompts } from './context';

/**
 * A username made from the local part of an email (`jane.doe+x@…` → `jane.doe`), or
 * undefined when too little of it is usable; the format is checked by the core later.
 */
export function usernameFromEmail(email: string): string | undefined {
  const trim = (s: string): string => s.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  const local = trim(
    normaliseEmail(email)
      .split('@')[0]
      .replace(/\+.*$/, '')
      .replace(/[^a-z0-9_.-]/g, ''),
  );
  const name = trim(local.slice(0, 32));
  return name.length >= 3 ? name : undefined;
}

/**
 * Asks for a new password twice, hidden. `problem` returns why a password is refused
 * (shown under the prompt, which asks again), or undefined when it is acceptable.
 */
export async function askNewPassword(message: string, problem: (password: string) => string | undefined): Promise<string> {
  const { password } = await prompts();
  const first = await password({ message, mask: '*', validate: (v) => problem(v) ?? true });
  await password({ message: 'Password again', mask: '*', validate: (v) => v === first || 'The two passwords are not the same' });
  return first;
}
