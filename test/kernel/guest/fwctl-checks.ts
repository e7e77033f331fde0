// Runs INSIDE the test guest (chrooted into the host's root, as root) against
// the real /dev/fwctl/fwctl0 of QEMU's CXL type-3 device, through fwbench's own
// host code. Prints one line "FWBENCH-RESULT <json>" that
// test/kernel/fwctl-real.test.ts asserts on. Every step records its own
// outcome, so one failure does not hide the others.
//
//   node fwctl-checks.mjs            all checks
//   node fwctl-checks.mjs eperm      only the debug-write-full RPC (run under setpriv)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadFwctl } from '../../../native/index';
import { FWCTL_DEVICE_TYPE, TAINT_FWCTL_BIT } from '../../../native/uapi';
import { openNativeFwctl } from '../../../electron/host/fwctl/native-transport';
import { FwctlErrnoError } from '../../../electron/host/fwctl/errno';
import { uploadFirmware, type FirmwareUploadProgress } from '../../../electron/host/fwctl/firmware-upload';
import { FWCTL_MAX_RPC_LEN } from '../../../electron/host/fwctl/transport';
import { HostError } from '../../../electron/host/errors/host-error';
import {
  CXL_FEATURE_UUID,
  CxlFwctlClient,
  decodePatrolScrubRead,
  encodeGetSupportedFeaturesIn,
  encodePatrolScrubWrite,
  encodeRpc,
} from '../../../electron/host/protocols/cxl/index';

const DEVICE = '/dev/fwctl/fwctl0';
const FW_DIR = '/sys/class/firmware/mem0';

type Outcome = { ok: true; value: unknown } | { ok: false; error: { code?: string; errno?: string; message: string; detail?: string } };

async function step(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const e = err as Error;
    return {
      ok: false,
      error: {
        code: err instanceof HostError ? err.code : undefined,
        errno: err instanceof FwctlErrnoError ? err.errnoName : undefined,
        message: e.message,
        detail: err instanceof HostError ? err.detail : e.stack,
      },
    };
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const taintBit = () => ((Number(readFileSync('/proc/sys/kernel/tainted', 'utf8').trim()) >> TAINT_FWCTL_BIT) & 1) === 1;

/** A debug-write-full RPC that the driver would accept: Get Supported Features, header only. */
function supportedFeaturesRpc(): Uint8Array {
  return encodeRpc({ opcode: 0x0500, payload: encodeGetSupportedFeaturesIn({ count: 8, startIndex: 0 }) });
}

async function epermProbe(): Promise<void> {
  const status = readFileSync('/proc/self/status', 'utf8');
  const capEff = /CapEff:\s*(\w+)/.exec(status)?.[1];
  const rpc = await step(async () => {
    const t = await openNativeFwctl(DEVICE);
    try {
      return hex(await t.rpc('debug-write-full', supportedFeaturesRpc(), 64));
    } finally {
      await t.close();
    }
  });
  console.log(`FWBENCH-RESULT ${JSON.stringify({ capEff, rpc })}`);
}

async function allChecks(): Promise<void> {
  const r: Record<string, unknown> = {};
  const binding = loadFwctl();
  r.addon = binding.available ? { available: true } : binding;
  const t = await openNativeFwctl(DEVICE);
  const client = new CxlFwctlClient(t);
  const scrub = CXL_FEATURE_UUID.patrolScrub;

  r.info = await step(async () => {
    const i = await t.info();
    return { deviceType: i.deviceType, cxl: i.deviceType === FWCTL_DEVICE_TYPE.cxl, deviceDataLen: i.deviceData.length };
  });
  r.features = await step(async () =>
    (await client.getSupportedFeatures()).map((f) => ({
      uuid: f.uuid,
      getSize: f.getSize,
      setSize: f.setSize,
      changeable: f.attributes.changeable,
      effects: f.effects,
      requiredSetScope: client.requiredSetScope(f),
    })),
  );
  r.scrubBefore = await step(async () => {
    const b = await client.getFeature(scrub);
    return { hex: hex(b), decoded: decodePatrolScrubRead(b) };
  });

  // The taint must appear with the first debug-write RPC, even a refused one.
  r.taintedBefore = taintBit();
  const target = { cycleHours: 24, enabled: true };
  r.setAtDebugWrite = await step(() => client.setFeature(scrub, encodePatrolScrubWrite(target), 'debug-write'));
  r.taintedAfterDebugWrite = taintBit();
  r.setAtDebugWriteFull = await step(() => client.setFeature(scrub, encodePatrolScrubWrite(target), 'debug-write-full'));
  r.scrubAfter = await step(async () => {
    const b = await client.getFeature(scrub);
    return { hex: hex(b), decoded: decodePatrolScrubRead(b) };
  });

  r.unknownOpcode = await step(async () => hex(await t.rpc('configuration', encodeRpc({ opcode: 0x4d00, payload: new Uint8Array(8) }), 64)));

  // Oversize: fwbench refuses before the ioctl; the raw addon path reaches the kernel's own check.
  r.oversizeTransport = await step(async () => hex(await t.rpc('configuration', new Uint8Array(FWCTL_MAX_RPC_LEN + 1), 64)));
  r.oversizeRaw = await step(async () => {
    if (!binding.available) throw new Error(binding.reason);
    const fd = await binding.open(DEVICE);
    if (fd < 0) throw new Error(`open: ${fd}`);
    try {
      const big = new Uint8Array(FWCTL_MAX_RPC_LEN + 1);
      const inResult = await binding.rpc(fd, 0, big, new Uint8Array(64));
      const outResult = await binding.rpc(fd, 0, supportedFeaturesRpc(), big);
      const atLimit = await binding.rpc(fd, 0, supportedFeaturesRpc(), new Uint8Array(FWCTL_MAX_RPC_LEN));
      return { inResult, outResult, atLimit };
    } finally {
      await binding.close(fd);
    }
  });

  // Without CAP_SYS_RAWIO, in a second process.
  r.withoutRawio = await step(async () => {
    const p = spawnSync(
      'setpriv',
      ['--inh-caps=-sys_rawio', '--bounding-set=-sys_rawio', process.execPath, process.argv[1], 'eperm'],
      { encoding: 'utf8', env: process.env, timeout: 60_000 },
    );
    const line = p.stdout.split('\n').find((l) => l.startsWith('FWBENCH-RESULT '));
    if (!line) throw new Error(`setpriv probe printed no result (status ${p.status}): ${p.stdout}${p.stderr}`);
    return JSON.parse(line.slice('FWBENCH-RESULT '.length));
  });
  r.withRawioCapEff = /CapEff:\s*(\w+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];

  const progress: FirmwareUploadProgress[] = [];
  const fwStart = Date.now();
  r.firmwareUpload = await step(async () => {
    const image = new Uint8Array(4096);
    for (let i = 0; i < image.length; i++) image[i] = (i * 31 + 7) & 0xff;
    await uploadFirmware(FW_DIR, image, (p) => progress.push(p), AbortSignal.timeout(120_000));
    return { seconds: (Date.now() - fwStart) / 1000, error: readFileSync(`${FW_DIR}/error`, 'utf8').trim() };
  });
  r.firmwareProgress = progress;

  await t.close();
  console.log(`FWBENCH-RESULT ${JSON.stringify(r)}`);
}

await (process.argv[2] === 'eperm' ? epermProbe() : allChecks());
