/**
 * What watched words cost a post: a throw-away SQLite install whose network watches 1,000
 * entries (words and phrases with accents, `*` words, a few expressions, every action), then
 * the core's screening (`screenContent`: the `content:saving` filters, the moderation plugin's
 * included, with its query saying whether the list changed) run over posts of three sizes,
 * N times each. Prints the median and p95 per post; the target is under 2 ms.
 *
 *   npm run bench:watched-words          (N=500)
 *   BENCH_RUNS=2000 npm run bench:watched-words
 */
import fs from 'node:fs';
import { createApp, screenContent } from '../core';
import { addWords } from '../plugins/moderation/watchlist';
import { WatchList } from '../plugins/moderation/watched-words';
import { medianP95, runScript, scratchInstall, timeRuns } from './lib/scratch';

const RUNS = Number(process.env.BENCH_RUNS) || 500;
const WORDS = 1000;

/** 1,000 entries: words (some accented), two-word phrases, `*` words and expressions, across the four actions. */
function entries(): { pattern: string; action: 'block' | 'hold' | 'flag' | 'replace' }[] {
  const actions = ['block', 'hold', 'flag', 'replace'] as const;
  const out: { pattern: string; action: (typeof actions)[number] }[] = [];
  for (let i = 0; i < WORDS; i++) {
    const action = actions[i % 4];
    const pattern =
      i % 100 === 0 ? `/interdit${i}\\d+/` : i % 20 === 1 ? `préfixé${i}*` : i % 10 === 2 ? `mot${i} composé` : i % 3 ? `écrit${i}` : `word${i}`;
    out.push({ pattern, action });
  }
  return out;
}

const SENTENCE = 'Bonjour à toutes et à tous, voici le compte rendu de la réunion d’équipe de jeudi à Lyon. ';
const POSTS: [string, string][] = [
  ['a status (90 characters)', SENTENCE],
  ['a comment (1,000 characters)', SENTENCE.repeat(11)],
  ['a blog post (10,000 characters, two words found)', `${SENTENCE.repeat(55)} écrit5 ${SENTENCE.repeat(55)} WORD3`],
];

async function main(): Promise<void> {
  const { dir, config, rt: installed } = await scratchInstall('words', { jobs: { enabled: false } });
  await installed.close();
  const app = await createApp(config, { cwd: dir });
  const rt = app.ruche;
  try {
    const networkId = rt.networks.root().id;
    const list = entries();
    for (const action of ['block', 'hold', 'flag', 'replace'] as const)
      await addWords(
        rt,
        networkId,
        list.filter((e) => e.action === action).map((e) => e.pattern),
        action,
        '',
        1,
      );
    const n = Number(((await rt.db('moderation_watched_words').count({ n: '*' }).first()) as { n: number }).n);
    console.log(`${n} watched words in the network`);
    const compiled = new WatchList(list.map((e) => ({ ...e, replacement: '' })));
    for (const [name, text] of POSTS) {
      const draft = { networkId, authorId: 1, kind: 'status', texts: { body: text } };
      await screenContent(rt, draft);
      const whole = await timeRuns(RUNS, () => screenContent(rt, draft));
      const matching = await timeRuns(RUNS, async () => compiled.screen(text));
      console.log(`${name}: the core's screening ${medianP95(whole)}; the matching alone ${medianP95(matching)} (${RUNS} runs)`);
    }
    const t0 = performance.now();
    new WatchList(list.map((e) => ({ ...e, replacement: '' })));
    console.log(`compiling the list once it changed: ${(performance.now() - t0).toFixed(1)} ms`);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runScript('watched-words', main);
