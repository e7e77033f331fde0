// Starts the built-in demo board and registers it as a serial device. Over a
// real pty pair (socat) when possible, so the demo exercises the same serial
// path as a board on a UART; in-process otherwise.
import { DemoBoard } from './board/demo-board';
import { hasSocat, startDemoBoardOnPty } from './demo-board-pty';
import { createPipePair } from '../transports/pipe-pair';
import { SerialPortStream } from '../transports/serial-port';
import type { ByteStream } from '../transports/byte-stream';
import type { DeviceEntry } from '../devices/registry';
import { DemoBoardAdapter } from '../adapters/demo-board-adapter';
import { ConsoleCapture } from '../console/console-capture';
import type { HostEvent } from '../../contract/events';
import { SimulatedCxlFwctl } from './cxl-sim';
import { FwctlAdapter } from '../adapters/fwctl-adapter';
import type { FwctlTransport } from '../fwctl/transport';
import { HostError } from '../errors/host-error';
import { tapFwctl, tapLink } from '../transcripts/link-tap';
import { DfuDeviceModel, buildModelImage } from './dfu-model';
import { DfuDeviceAdapter, type DfuLink } from '../adapters/dfu-device-adapter';
import { UsbTransferError, parseDfuSeMemoryLayout, type DfuControl } from '../protocols/dfu';

export interface DemoHandle {
  entry: DeviceEntry;
  stop(): Promise<void>;
}

export async function startDemoBoard(opts: { index: number; emit: (e: HostEvent) => void; transport?: 'pty' | 'in-process' }): Promise<DemoHandle> {
  const serial = `DEMO-${String(1000 + opts.index)}`;
  const usePty = (opts.transport ?? 'pty') === 'pty' && hasSocat();
  const captures = new Map<string, ConsoleCapture>();
  const captureFor = (sessionId: string) => {
    let c = captures.get(sessionId);
    if (!c) captures.set(sessionId, (c = new ConsoleCapture(sessionId, opts.emit)));
    return c;
  };
  if (usePty) {
    const pty = await startDemoBoardOnPty({ serial, bootMs: 200 });
    const hostEnd = pty.hostPath;
    return {
      entry: {
        device: { id: `demo:${serial}`, kind: 'serial', label: `Demo board ${opts.index} (simulated)`, path: hostEnd, simulated: true, protocol: 'demo-board', present: true, details: { transport: 'pty (socat)', serial } },
        reconnectable: true,
        factory: {
          open: async (sink, sessionId) => DemoBoardAdapter.open(tapLink(await SerialPortStream.open(hostEnd, { baudRate: 115200 })), captureFor(sessionId), sink, sessionId),
        },
      },
      stop: pty.stop,
    };
  }
  // In-process: each open gets a fresh pipe, the board's state lives on.
  let board: DemoBoard | null = null;
  let boardEnd: ByteStream | null = null;
  return {
    entry: {
      device: { id: `demo:${serial}`, kind: 'serial', label: `Demo board ${opts.index} (simulated)`, simulated: true, protocol: 'demo-board', present: true, details: { transport: 'in-process', serial } },
      reconnectable: true,
      factory: {
        open: async (sink, sessionId) => {
          const [hostSide, boardSide] = createPipePair();
          if (!board) board = new DemoBoard(boardSide, { serial, bootMs: 200 });
          else board.attach(boardSide);
          boardEnd = boardSide;
          return DemoBoardAdapter.open(tapLink(hostSide), captureFor(sessionId), sink, sessionId);
        },
      },
    },
    stop: async () => {
      board?.stop();
      await boardEnd?.close().catch(() => {});
    },
  };
}

/**
 * The simulated CXL memory device, behind the same FwctlTransport as the
 * addon. Its feature state outlives sessions; each session gets a handle
 * whose close() ends only that handle.
 */
export function demoCxlEntry(opts: { rawio: boolean }): DeviceEntry {
  const sim = new SimulatedCxlFwctl({ rawio: opts.rawio });
  return {
    device: {
      id: 'fwctl:sim-cxl0',
      kind: 'fwctl',
      label: 'CXL memory device (simulated)',
      simulated: true,
      protocol: 'cxl',
      present: true,
      details: { transport: 'in-process', model: 'CXL type-3 with 8 RAS features' },
    },
    reconnectable: false,
    factory: {
      open: async (sink) => {
        let open = true;
        const handle: FwctlTransport = {
          simulated: true,
          info: () => (open ? sim.info() : Promise.reject(new HostError('device-gone', 'The handle is closed.'))),
          rpc: (scope, req, outLen) => (open ? sim.rpc(scope, req, outLen) : Promise.reject(new HostError('device-gone', 'The handle is closed.'))),
          close: async () => {
            open = false;
          },
        };
        return FwctlAdapter.open(tapFwctl(handle), sink, 'CXL memory device (simulated)');
      },
    },
  };
}

/** STM32F4-style DfuSe map: 4×16 KiB, 1×64 KiB, 7×128 KiB sectors at 0x08000000. */
export const DEMO_DFU_LAYOUT = '@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg';
/** ST's DFU-mode USB ids, as the ROM bootloader reports them. */
export const DEMO_DFU_USB = { vendorId: 0x0483, productId: 0xdf11 } as const;

/** The simulated DfuSe bootloader: 2 KiB transfers, a bootable image at 0x08000000, in DFU mode. */
export function createDemoDfuModel(): DfuDeviceModel {
  return new DfuDeviceModel({
    transferSize: 2048,
    pollTimeoutMs: 1,
    eraseTimeoutMs: 3,
    dfuse: { layout: DEMO_DFU_LAYOUT },
    initialFlash: [{ address: 0x08000000, data: buildModelImage(new TextEncoder().encode('fwbench simulated DFU application 1.0')) }],
  });
}

/**
 * The simulated USB DFU device. One model holds the flash for the host's
 * lifetime; each session gets its own handle. When the model has left the bus
 * (detach, leave, a cut link), the next open finds it again the way a
 * re-enumeration would: in DFU mode, or running its application (runtime
 * interface) after it jumped to a valid image. Pass `model` to reach it in tests.
 */
export function demoDfuEntry(opts: { model?: DfuDeviceModel } = {}): DeviceEntry {
  const model = opts.model ?? createDemoDfuModel();
  const layout = model.interfaceString ? parseDfuSeMemoryLayout(model.interfaceString) : undefined;
  const link: DfuLink = {
    simulated: true,
    acquire: async (want) => {
      if (model.isGone) model.reattach(model.running === 'application' ? 'runtime' : 'dfu');
      const mode = model.stateName === 'appIDLE' || model.stateName === 'appDETACH' ? 'runtime' : 'dfu';
      if (want === 'dfu' && mode !== 'dfu') throw new HostError('device-gone', 'The simulated DFU device did not come back in DFU mode.');
      let open = true;
      const closedError = () => new UsbTransferError('gone', 'This handle to the simulated DFU device is closed.');
      const control: DfuControl = {
        controlIn: (req, t) => (open ? model.controlIn(req, t) : Promise.reject(closedError())),
        controlOut: (req, data, t) => (open ? model.controlOut(req, data, t) : Promise.reject(closedError())),
        reset: () => (open ? model.reset() : Promise.reject(closedError())),
      };
      return {
        control,
        mode,
        interfaceNumber: model.interfaceNumber,
        alternateSetting: 0,
        functional: model.functionalDescriptor,
        layout,
        ...DEMO_DFU_USB,
        close: async () => {
          open = false;
        },
      };
    },
  };
  return {
    device: {
      id: 'usb:sim-dfu0',
      kind: 'usb',
      label: 'USB DFU device (simulated)',
      simulated: true,
      protocol: 'dfu',
      present: true,
      details: { transport: 'in-process', usb: '0483:df11', model: 'STM32F4-style DfuSe bootloader', memory: DEMO_DFU_LAYOUT.slice(1).split('/')[0].trim() },
    },
    reconnectable: true,
    factory: { open: (sink) => DfuDeviceAdapter.open(link, sink) },
  };
}
