/**
 * An in-process DFU 1.1 / ST DfuSe device for tests and the demo board: it implements
 * DfuControl, follows the spec's state machine, keeps flash in pages and a
 * staging bank, and injects faults (stall, dfuERROR, wrong state, timeout, link cut).
 *
 *   const dev = new DfuDeviceModel({ transferSize: 256, manifestationTolerant: false, dfuse: { layout: '@Internal Flash  /0x08000000/04*016Kg' } });
 *   const client = new DfuClient(dev, { interfaceNumber: dev.interfaceNumber, functional: dev.functionalDescriptor });
 *   dev.inject({ kind: 'cut-at-byte', atByte: 5000 });
 *   dev.bootable; dev.activeImage; dev.log; dev.reattach();
 *
 * Images the model boots are built with buildModelImage(payload): length + payload + CRC-32.
 */
export { DfuDeviceModel } from './dfu-device-model';
export type { DfuDeviceModelOptions, ModelRequestLog } from './dfu-device-model';
export type { DfuFault, FaultTrigger } from './faults';
export { buildModelImage, checkModelImage } from './model-image';
export { FlashBank } from './flash-bank';
