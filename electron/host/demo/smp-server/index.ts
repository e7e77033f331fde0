/**
 * SMP (MCUmgr) server for the simulated demo board — an implementation
 * independent of the client in protocols/smp (own framing, CRC, header code).
 *
 *   const state = new SmpBoardState({ initialImage, bufSize?, bufCount?, slotSize?, shell?, identity? });
 *   const server = new SmpServer(state, { send: (b) => uart.write(b), onConsole: (b) => shell.input(b) });
 *   server.feed(uartRxBytes);            // SMP lines are answered, everything else goes to onConsole
 *   // or, for a board that splits lines itself: if (SmpServer.isSmpLine(line)) server.handleLine(line)
 *   attachSmpServer(stream, state, opts) // the same on a ByteStream (pty, pipe)
 *
 * State the board owns: state.bumpStat(group, name), state.settings, state.files, state.onReset(cb)
 * (called with 'swapped-test' | 'swapped-permanent' | 'reverted' | 'plain'), state.allowReset,
 * state.running (slot 0: version, hash). Image slots follow MCUboot swap: upload → slot 1,
 * test → swap at reset, revert at the reset after unless confirmed, confirm → permanent.
 * server.registerGroup(id, handler) adds or replaces a group.
 * Device variations (SmpServerOptions / SmpBoardStateOptions, presets in SMP_DEVICE_PROFILES):
 * groups (the build's group set; others answer ENOTSUP), bufSize/bufCount, rxPoolFrames (an
 * RX pool that drops long bursts), latencyMs, encoding 'zcbor' (indefinite-length, unknown keys),
 * v1Only, bootMode 'swap' | 'direct-xip' | 'ram-load' (the last two: image test answers ENOTSUP).
 */
export { SmpServer, attachSmpServer, ALL_GROUPS } from './server';
export { SMP_DEVICE_PROFILES } from './profiles';
export type { SmpDeviceProfile, SmpProfileName } from './profiles';
export type { SmpServerOptions } from './server';
export { SmpBoardState, slotOf } from './board-state';
export type { SmpBoardStateOptions, ImageSlot, UploadSession, ResetOutcome, OsIdentity, BootMode } from './board-state';
export type { SmpGroupHandler, SmpServerRequest } from './handlers/context';
export { SmpRefusal } from './rc';
export { buildMcubootImage, inspectImage, versionString, MCUBOOT_MAGIC } from './mcuboot-image';
export type { ImageFacts } from './mcuboot-image';
