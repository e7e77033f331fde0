// Any serial port with a console on it: scrollback, raw input at debug-write.
// Board-specific adapters (U-Boot, the demo board) add structured commands.
import { deviceInfo } from '../../contract/catalog/common';
import type { ByteStream } from '../transports/byte-stream';
import { latin1 } from '../transports/stream-reader';
import type { ConsoleCapture } from '../console/console-capture';
import { consoleCommands } from '../console/console-commands';
import { bind, type AdapterSink, type BoundCommand, type DeviceAdapter } from './device-adapter';

export class SerialConsoleAdapter implements DeviceAdapter {
  readonly protocol = 'console';
  private offs: (() => void)[] = [];
  private closing = false;

  constructor(
    private readonly link: ByteStream,
    private readonly capture: ConsoleCapture,
    sink: AdapterSink,
    private readonly facts: Record<string, string>,
  ) {
    this.offs.push(
      link.onData((chunk) => capture.push(latin1(chunk))),
      link.onClose((reason) => {
        if (this.closing) return;
        capture.note(`link lost: ${reason?.message ?? 'closed'}`);
        sink.lost(reason ?? new Error('link closed'));
      }),
    );
  }

  identity(): Record<string, string> {
    return { ...this.facts };
  }

  commands(): readonly BoundCommand[] {
    return [
      bind(deviceInfo, async () => this.identity()),
      ...consoleCommands(this.link, this.capture),
    ];
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const off of this.offs) off();
    this.capture.flush();
    await this.link.close();
  }
}
