// The man in the middle for fault tests: copies bytes from one pty to another
// and, once, flips one payload byte of the N-th X/YMODEM block. It follows the
// frames (SOH = 128, STX = 1024 payload bytes) to find block N.
import type { SerialPortStream } from '../../../electron/host/transports/serial-port';

const SOH = 0x01;
const STX = 0x02;

export interface CorruptionPlan {
  /** 1-based frame count (YMODEM's block 0 counts). */
  corruptFrame: number;
  /** Check bytes per frame on the wire: 2 for CRC mode, 1 for checksum. */
  checkBytes: 1 | 2;
}

export class CorruptingPipe {
  corrupted = false;
  /** Frames seen, retransmissions included. */
  frames = 0;
  private remaining = 0;
  private corruptAtRemaining = -1;

  constructor(
    private readonly from: SerialPortStream,
    private readonly to: SerialPortStream,
    private readonly plan: CorruptionPlan,
  ) {
    from.onData((chunk) => void to.write(this.pass(chunk)).catch(() => {}));
  }

  private pass(chunk: Uint8Array): Uint8Array {
    const out = chunk.slice();
    for (let i = 0; i < out.length; i++) {
      if (this.remaining > 0) {
        if (this.remaining === this.corruptAtRemaining) {
          out[i] ^= 0x5a;
          this.corrupted = true;
          this.corruptAtRemaining = -1;
        }
        this.remaining--;
      } else if (out[i] === SOH || out[i] === STX) {
        this.frames++;
        this.remaining = 2 + (out[i] === SOH ? 128 : 1024) + this.plan.checkBytes;
        // The 11th payload byte of the chosen frame, first time only.
        if (this.frames === this.plan.corruptFrame && !this.corrupted) this.corruptAtRemaining = this.remaining - 2 - 10;
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.from.close();
    await this.to.close();
  }
}
