// The console commands every serial adapter offers the same way: raw input
// (debug-write, by its declaration) and the scrollback the session keeps.
import { consoleHistory, consoleWrite } from '../../contract/catalog/common';
import { bind, type BoundCommand } from '../adapters/device-adapter';
import type { ByteStream } from '../transports/byte-stream';
import type { ConsoleCapture } from './console-capture';

export function consoleCommands(link: ByteStream, capture: ConsoleCapture): BoundCommand[] {
  return [
    bind(consoleWrite, async (p) => {
      await link.write(Buffer.from(p.data, 'utf8'));
      return { sent: Buffer.byteLength(p.data) };
    }),
    bind(consoleHistory, async (p) => ({ text: capture.history(p.maxBytes) })),
  ];
}
