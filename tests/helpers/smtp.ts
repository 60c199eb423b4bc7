/** A real SMTP server on loopback (smtp-server) for the tests of mail sent with `mail.transport: smtp`. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { ConfigInput } from '../../core';

export interface SmtpMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface TestSmtp {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (`port`, any free one by default), without authentication or STARTTLS.
 * `receive` gets every message; when it answers an Error, the message is refused with it (an
 * SMTP `responseCode` on the error sets the reply code).
 */
export async function smtpServer(receive: (message: SmtpMessage) => Error | void, port = 0): Promise<TestSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refused = receive({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(refused ?? undefined);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The config that sends an app's mail to the test server on `port`. */
export const smtpConfig = (port: number): ConfigInput => ({
  mail: { transport: 'smtp', from: 'Ruche <ruche@example.com>', smtp: { host: '127.0.0.1', port, secure: false } },
});
