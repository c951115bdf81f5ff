import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { connectToServer } from '../bench/benchFrame';

/** Timers that keep this process alive. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/** Timers left armed by a connection whose server stopped halfway through writing a message. */
async function timersAfterHalfAMessage(
  connect: (streams: { stdout: PassThrough; stdin: PassThrough }) => { listen(): void; dispose(): void },
): Promise<number> {
  const stdout = new PassThrough();
  const connection = connect({ stdout, stdin: new PassThrough() });
  connection.listen();
  const before = timers();
  stdout.write('Content-Length: 100\r\n\r\n{"jsonrpc":"2.0",');
  await new Promise((resolve) => setImmediate(resolve));
  const left = timers() - before;
  stdout.end();
  connection.dispose();
  return left;
}

describe('the bench connection to a server', () => {
  it('leaves no timer armed when the server stops halfway through a message', async () => {
    assert.equal(await timersAfterHalfAMessage(connectToServer), 0);
  });

  it('would otherwise keep a timer armed, which re-arms for as long as the part waits', async () => {
    // A reader that warns about slow messages (as one does by default, after 10 s): a short wait
    // here, stopped once counted, so that this test ends.
    let reader: StreamMessageReader | undefined;
    const armed = await timersAfterHalfAMessage(({ stdout, stdin }) => {
      reader = new StreamMessageReader(stdout);
      reader.partialMessageTimeout = 50;
      return createProtocolConnection(reader, new StreamMessageWriter(stdin));
    });
    if (reader) reader.partialMessageTimeout = 0;
    assert.equal(armed, 1);
  });
});
