import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { freePort } from '../helpers/browser';
import { databaseKinds, freshDatabase } from '../helpers/databases';
import { ADMIN_FLAGS, assertOneLineError, run, spawnCli, tempDir } from './helpers';

interface Server {
  /** http://127.0.0.1:<port> */
  url: string;
  setupLink?: string;
  output(): string;
  /** Sends the signal and resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `ruche start --port 0` (unless `PORT` is given) and waits until it prints where it serves. */
async function start(t: ExecutionContext, cwd: string, env: Record<string, string> = {}, args: string[] = []): Promise<Server> {
  const child = spawnCli(['start', ...(env.PORT ? [] : ['--port', '0']), ...args], cwd, env);
  child.stdin!.end();
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 120_000; // a first start installs every plugin's schema; slow on a loaded machine
  let m: RegExpExecArray | null;
  while (!(m = /Ruche is serving (https?:\/\/\S+)/.exec(out))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`ruche start did not serve (exit ${child.exitCode}):\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const local = (u: string): string => u.replace('//localhost:', '//127.0.0.1:');
  const url = local(m[1]);
  // The setup box is written in the same tick as the serving line; give the pipe a moment.
  await new Promise((r) => setTimeout(r, 50));
  const link = /\s(https?:\/\/\S+\/setup\?token=\S+)/.exec(out)?.[1];
  return {
    url,
    setupLink: link && local(link),
    output: () => out + err,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

test('first start on a fresh folder installs, serves /, prints a working setup link, stops on SIGTERM with 0', async (t) => {
  const cwd = tempDir(t);
  const server = await start(t, cwd);
  t.regex(server.output(), /First run: wrote config\/local\.json with a new secret/);
  t.regex(server.output(), /Installed Ruche on sqlite:/);
  t.regex(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.not(server.url, 'http://127.0.0.1:0');
  t.is((await fetch(`${server.url}/`)).status, 200);
  t.truthy(server.setupLink, server.output());
  t.true(server.setupLink!.startsWith(`${server.url}/setup?token=`));
  const page = await fetch(server.setupLink!);
  t.is(page.status, 200);
  t.regex(await page.text(), /<form/);
  t.is((await fetch(`${server.url}/setup?token=wrong`)).status, 403);
  t.is(await server.stop('SIGTERM'), 0);
  t.regex(server.output(), /SIGTERM received/);
  t.regex(server.output(), /Ruche stopped\./);

  const config = JSON.parse(fs.readFileSync(path.join(cwd, 'config', 'local.json'), 'utf8')) as { secret: string };
  t.true(config.secret.length >= 60);
  t.true(fs.existsSync(path.join(cwd, 'data', 'ruche.sqlite')));

  // Second start: no reinstall, a new link (the old one stops working), SIGINT also stops cleanly.
  const again = await start(t, cwd);
  t.notRegex(again.output(), /First run|Installed Ruche/);
  t.truthy(again.setupLink);
  t.not(again.setupLink, server.setupLink);
  t.is((await fetch(server.setupLink!.replace(server.url, again.url))).status, 403);
  t.is((await fetch(again.setupLink!)).status, 200);
  t.is(await again.stop('SIGINT'), 0);
});

test('the first start writes the data folder and address it used, so a later doctor without the variables finds them', async (t) => {
  const cwd = tempDir(t);
  const port = await freePort();
  const server = await start(t, cwd, { RUCHE_DATA_DIR: 'store', PORT: String(port), HOST: '127.0.0.1' });
  t.is(server.url, `http://127.0.0.1:${port}`);
  t.regex(
    server.output(),
    new RegExp(`First run: wrote config/local\\.json with a new secret, the data folder store and the address 127\\.0\\.0\\.1:${port}`),
  );
  t.is(await server.stop(), 0);
  const config = JSON.parse(fs.readFileSync(path.join(cwd, 'config', 'local.json'), 'utf8')) as Record<string, unknown>;
  t.like(config, { dataDir: path.join(cwd, 'store'), host: '127.0.0.1', port });
  // Without the variables: the same data folder and address, no empty ./data.
  const doctor = await run(['doctor'], cwd);
  t.is(doctor.code, 0, doctor.stdout + doctor.stderr);
  t.regex(doctor.stdout, new RegExp(`^OK   config valid \\(config/local\\.json; serves 127\\.0\\.0\\.1:${port}\\)$`, 'm'));
  t.regex(doctor.stdout, /^OK   data dir writable \(store\)$/m);
  t.regex(doctor.stdout, /^OK   Ruche installed/m);
  t.false(fs.existsSync(path.join(cwd, 'data')), 'no empty ./data');
  const again = await start(t, cwd);
  t.notRegex(again.output(), /First run|Installed Ruche/);
  t.is(await again.stop(), 0);
});

test('doctor in a folder never started reports the missing data folder and creates nothing', async (t) => {
  const cwd = tempDir(t);
  const doctor = await run(['doctor'], cwd, { RUCHE_SECRET: 'x'.repeat(40) });
  t.is(doctor.code, 1);
  t.regex(doctor.stdout, /^FAIL data dir writable: data does not exist; the first `ruche start` \(or `ruche install`\) creates it/m);
  t.false(fs.existsSync(path.join(cwd, 'data')), 'no empty ./data');
});

test('start on an install with an administrator prints no setup link', async (t) => {
  const cwd = tempDir(t);
  t.is((await run(['install', ...ADMIN_FLAGS], cwd)).code, 0);
  const server = await start(t, cwd);
  t.is((await fetch(`${server.url}/`)).status, 200);
  t.is(server.setupLink, undefined);
  t.notRegex(server.output(), /setup\?token=/);
  t.is((await fetch(`${server.url}/setup`)).status, 404);
  t.is(await server.stop(), 0);
});

test('start prints the configured site URL when one is set', async (t) => {
  const cwd = tempDir(t);
  const server = await start(t, cwd, { RUCHE_SITE_URL: 'https://community.example.com' });
  t.is(server.url, 'https://community.example.com');
  t.regex(server.setupLink ?? '', /^https:\/\/community\.example\.com\/setup\?token=\S+$/);
  t.is(await server.stop(), 0);
});

for (const kind of databaseKinds().filter((k) => k === 'postgres')) {
  test(`start installs on an empty ${kind} database given by the environment`, async (t) => {
    const db = await freshDatabase(kind);
    t.teardown(() => db.drop());
    const server = await start(t, db.dataDir, { RUCHE_DATABASE_URL: db.url });
    t.regex(server.output(), /Installed Ruche on postgres:\/\/ruche:\*\*\*@/);
    t.is((await fetch(`${server.url}/`)).status, 200);
    t.is((await fetch(server.setupLink!)).status, 200);
    t.is(await server.stop(), 0);
  });
}

test('start refuses a port in use and a bad --port with one line', async (t) => {
  const cwd = tempDir(t);
  t.is((await run(['install', '--yes'], cwd)).code, 0);
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => blocker.close());
  const port = (blocker.address() as net.AddressInfo).port;
  assertOneLineError(t, await run(['start', '--port', String(port)], cwd), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  assertOneLineError(t, await run(['start', '--port', 'abc'], cwd), /--port: "abc" is not a port number/);
  assertOneLineError(t, await run(['start'], cwd, { PORT: '99999' }), /E_CONFIG: invalid configuration.*port/);
});

test('start with a named config file that does not exist writes nothing', async (t) => {
  const cwd = tempDir(t);
  assertOneLineError(t, await run(['--config', 'missing.json', 'start'], cwd), /E_CONFIG: config file .*missing\.json does not exist/);
  t.deepEqual(fs.readdirSync(cwd), []);
});
