// A link cut at a random point of a download — by byte position or at a random
// request, plain DFU and DfuSe, manifestation-tolerant or not — must never leave
// the device model without a bootable image, and every run must either complete
// or fail with a clear 'device-gone' message.
import { HostError } from '../../../electron/host/errors/host-error';
import { DfuClient, DfuSeClient } from '../../../electron/host/protocols/dfu';
import { DfuDeviceModel, buildModelImage, type DfuFault } from '../../../electron/host/demo/dfu-model';
import { VirtualClock } from '../../unit/dfu/virtual-clock';

const RUNS = 240;
const SEED = 0x5eed_df11;
const LAYOUT = '@Internal Flash  /0x08000000/04*004Kg,02*016Kg';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const same = (a?: Uint8Array, b?: Uint8Array) => a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;

describe('DFU download with the link cut at random points', () => {
  it(`keeps a bootable image in ${RUNS} seeded runs`, async () => {
    const rnd = mulberry32(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const tally = { completed: 0, failed: 0, cutFired: 0 };

    for (let run = 0; run < RUNS; run++) {
      const dfuse = rnd() < 0.4;
      const tolerant = rnd() < 0.5;
      const transferSize = [64, 128, 256, 512][int(0, 3)];
      const old = buildModelImage(Uint8Array.from({ length: int(16, 300) }, () => int(0, 255)));
      const next = buildModelImage(Uint8Array.from({ length: int(200, 5000) }, () => int(0, 255)));
      const vc = new VirtualClock();
      const dev = new DfuDeviceModel({
        clock: vc.clock,
        transferSize,
        pollTimeoutMs: int(0, 3),
        manifestTimeoutMs: int(0, 5),
        manifestationTolerant: tolerant,
        afterManifest: rnd() < 0.5 ? 'disappear' : 'wait-reset',
        ...(dfuse ? { dfuse: { layout: LAYOUT }, initialFlash: [{ address: 0x08000000, data: old }] } : { initialImage: old }),
      });
      const options = { interfaceNumber: 0, functional: dev.functionalDescriptor, sleep: vc.sleep, timeoutMs: 50 };
      const blocks = Math.ceil(next.length / transferSize);
      const fault: DfuFault =
        rnd() < 0.6
          ? { kind: 'cut-at-byte', atByte: int(1, Math.ceil(next.length * 1.15)) }
          : { kind: 'cut', request: rnd() < 0.5 ? 'DNLOAD' : 'GETSTATUS', occurrence: int(1, blocks * (dfuse ? 3 : 2) + 8) };
      dev.inject(fault);
      const context = `run ${run}: ${dfuse ? 'DfuSe' : 'DFU'} ${tolerant ? 'tolerant' : 'not tolerant'} ts=${transferSize} size=${next.length} fault=${JSON.stringify(fault)}`;

      let error: unknown;
      try {
        if (dfuse) {
          const client = new DfuSeClient(dev, { ...options, layout: LAYOUT });
          await client.downloadElements([{ address: 0x08000000, data: next }]);
          await client.leave(0x08000000);
        } else {
          await new DfuClient(dev, options).download(next);
        }
      } catch (err) {
        error = err;
      }

      expect(dev.bootable, context).toBe(true);
      const active = dev.activeImage;
      if (dev.isGone && dev.running === 'bootloader') tally.cutFired++;
      if (error === undefined) {
        tally.completed++;
        // A device that vanished while manifesting may have been cut before or after installing.
        expect(same(active, next) || same(active, old), context).toBe(true);
      } else {
        tally.failed++;
        expect(error, context).toBeInstanceOf(HostError);
        expect((error as HostError).code, context).toBe('device-gone');
        expect((error as HostError).message, context).toMatch(/^The device disappeared during DFU_(DNLOAD|GETSTATUS|ABORT|CLRSTATUS) /);
        expect(same(active, old), context).toBe(true);
        // After replugging, the same image goes in cleanly.
        dev.reattach();
        if (dfuse) {
          const client = new DfuSeClient(dev, { ...options, layout: LAYOUT });
          await client.downloadElements([{ address: 0x08000000, data: next }]);
          await client.leave(0x08000000);
        } else {
          await new DfuClient(dev, options).download(next);
        }
        expect(same(dev.activeImage, next), context).toBe(true);
      }
    }
    expect(tally.completed).toBeGreaterThan(20);
    expect(tally.failed).toBeGreaterThan(100);
  });
});
