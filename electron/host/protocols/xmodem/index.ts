/**
 * XMODEM / XMODEM-1K / YMODEM (batch) senders and receivers over any ByteStream,
 * plus the pure block codec. Proven against lrzsz (sx/sb/rx/rb) over ptys.
 *
 *   xmodemSend(stream, data, opts?)        -> Promise<SendResult>
 *   ymodemSend(stream, files, opts?)       -> Promise<SendResult>      files: { name, data, mtime? }[]
 *   xmodemReceive(stream, opts?)           -> Promise<{ data, mode }>  data keeps the SUB padding unless opts.size
 *   ymodemReceive(stream, opts?)           -> Promise<ReceivedFile[]>  { name, size, mtime?, mode?, data } (data cut to size)
 *
 * Options (all optional): signal (abort: sends CAN x5, rejects 'cancelled'), retries (10),
 * timeoutMs (10 000 per answer/block), startTimeoutMs (60 000 for the peer to start),
 * onProgress, blockSize (senders: 1024 | 128), reader, beforeStart.
 * Errors are HostError: 'timeout' (peer silent / retries used up), 'protocol-error'
 * (peer sent CAN CAN, rejected a block too often, out-of-sequence block, bad header),
 * 'cancelled' (our signal), 'device-gone' (link closed), 'invalid-params'.
 *
 * Uploading to U-Boot: `loady` sends one 'C' at once and then only every ~4.5 s, so
 * listen before typing the command. Either let the sender type it:
 *
 *   await ymodemSend(console, [{ name: 'image.itb', data }], {
 *     beforeStart: () => console.write(new TextEncoder().encode('loady\n')),
 *     onProgress: ({ sent, total }) => report(sent / total),
 *   });
 *
 * or attach your own StreamReader first (it keeps what U-Boot prints afterwards,
 * e.g. "## Total Size = 0x..."):
 *
 *   const reader = new StreamReader(console);
 *   await console.write(new TextEncoder().encode('loady 0x40200000\n'));
 *   await ymodemSend(console, files, { reader });
 *   const { before } = await reader.expect('=> ', 5000);
 *
 * Console text before the 'C' is skipped. U-Boot needs five CANs to abort `loady`
 * (an aborted send does that); `loadx` ignores CAN and only gives up on timeouts.
 */
export {
  SOH,
  STX,
  EOT,
  ACK,
  NAK,
  CAN,
  SUB,
  CRC_REQUEST,
  checksum8,
  crc16Xmodem,
  encodeBlock,
  decodeBlock,
  frameLength,
  blockCount,
  encodeYmodemHeader,
  decodeYmodemHeader,
  encodeEndOfBatch,
  type BlockSize,
  type CheckMode,
  type DecodedBlock,
  type YmodemHeader,
} from './codec';
export { xmodemSend, ymodemSend, type SendOptions, type XmodemSendOptions, type SendProgress, type SendResult, type YmodemFile } from './sender';
export {
  xmodemReceive,
  ymodemReceive,
  type ReceiveOptions,
  type XmodemReceiveOptions,
  type ReceiveProgress,
  type ReceivedFile,
  type XmodemReceived,
} from './receiver';
export { CANCEL_SEQUENCE, type TransferOptions } from './session';
