/**
 * A one-line progress bar on stderr, redrawn in place, when stderr is a terminal; nothing
 * otherwise (cron jobs and scripts get only the result line).
 */
import type { Progress } from '../core/backup';

const WIDTH = 24;

export function progressBar(stream: NodeJS.WriteStream = process.stderr): { update: (p: Progress) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let drawn = false;
  return {
    update: ({ phase, done, total }) => {
      const share = total ? done / total : 1;
      const filled = Math.round(share * WIDTH);
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${phase} ${done}/${total}\x1b[K`,
      );
      drawn = true;
    },
    done: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
