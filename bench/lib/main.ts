/**
 * How a bench script ends: exit 0 when `main` resolves; exit 4 with one line when the site was
 * seeded by other seed code (`ReseedRefused`: the site is kept, `--reseed` seeds it again);
 * otherwise the stack and exit 1, after `cleanup` (children to stop).
 */
import { ReseedRefused } from './site';

export function runMain(name: string, main: () => Promise<unknown>, cleanup: () => void = () => undefined): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      cleanup();
      if (e instanceof ReseedRefused) {
        process.stderr.write(`${name}: ${e.message}\n`);
        process.exit(4);
      }
      process.stderr.write(`${name} failed: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
