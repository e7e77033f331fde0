// Commands of fwctl devices. Scopes follow the kernel: reads go at
// configuration; a CXL Set Feature needs the scope its Set Feature Effects
// demand (raised per call by the host); a raw RPC runs at the scope it names.
import { z } from 'zod';
import { defineCommand } from '../commands';
import { SCOPES } from '../scopes';

const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'a feature UUID');
export const MAX_FWCTL_RPC = 2 * 1024 * 1024;

export const fwctlInfo = defineCommand({
  id: 'fwctl.info',
  title: 'Read fwctl device information',
  summary: 'Runs FWCTL_INFO: the driver type and its device information, decoded.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const fwctlRpc = defineCommand({
  id: 'fwctl.rpc',
  title: 'Send a raw fwctl RPC',
  summary: 'Sends the request bytes as FWCTL_RPC at the scope given; the kernel and the device decide what it does.',
  scope: 'configuration',
  // At debug-read-only the kernel promises a read; at any other scope it may write.
  effects: ['changes-config-now'],
  params: z
    .object({
      rpcScope: z.enum(SCOPES),
      request: z.instanceof(Uint8Array).refine((r) => r.length > 0 && r.length <= MAX_FWCTL_RPC, `1 byte to ${MAX_FWCTL_RPC} bytes`),
      outLen: z.number().int().min(0).max(MAX_FWCTL_RPC),
    })
    .strict(),
});

export const cxlFeatureList = defineCommand({
  id: 'cxl.features.list',
  title: 'List CXL features',
  summary: 'Reads the supported features, their current values decoded, and the scope a change of each needs.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({}).strict(),
});

export const cxlFeatureGet = defineCommand({
  id: 'cxl.feature.get',
  title: 'Read a CXL feature',
  summary: 'Get Feature: the feature data (current, default or saved), raw and decoded.',
  scope: 'configuration',
  effects: ['reads-device'],
  params: z.object({ uuid, selection: z.enum(['current', 'default', 'saved']).optional() }).strict(),
});

export const cxlFeatureSet = defineCommand({
  id: 'cxl.feature.set',
  title: 'Change a CXL feature',
  summary: 'Set Feature: writes the feature data. Needs debug-write for changes that apply at reset, debug-write-full for immediate ones.',
  scope: 'debug-write',
  effects: ['changes-config-now', 'changes-config-at-reset'],
  params: z.object({ uuid, data: z.instanceof(Uint8Array).refine((d) => d.length > 0 && d.length <= 65535, '1 to 65535 bytes') }).strict(),
});

export const cxlRpcCompose = defineCommand({
  id: 'cxl.rpc.compose',
  title: 'Compose a CXL RPC (dry run)',
  summary: 'Builds the exact FWCTL_RPC request bytes for a mailbox opcode and payload, decodes them, and says which scope the kernel will want. Nothing is sent.',
  scope: 'configuration',
  effects: [],
  params: z.object({ opcode: z.number().int().min(0).max(0xffff), payload: z.instanceof(Uint8Array).refine((p) => p.length <= MAX_FWCTL_RPC - 16, 'payload too large') }).strict(),
});

export const FWCTL_COMMANDS = [fwctlInfo, fwctlRpc, cxlFeatureList, cxlFeatureGet, cxlFeatureSet, cxlRpcCompose] as const;
