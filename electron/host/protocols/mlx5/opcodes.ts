// The commands drivers/fwctl/mlx5/main.c (mlx5ctl_validate_rpc) lets through,
// with the scope each needs. Numbers from include/linux/mlx5/mlx5_ifc.h and the
// driver's own enum. The driver also admits QUERY_VHCA_MIGRATION_STATE and
// QUERY_VHCA_STATE at debug-read-only; their numbers are left out here because
// they could not be verified from the sources at hand.
import type { Scope } from '../../../contract/scopes';

export interface Mlx5OpcodeRule {
  opcode: number;
  name: string;
  /** Scope the kernel requires (CONFIGURATION = any scope). */
  scope: Scope;
}

const CONFIG: [number, string][] = [
  [0xb2e, 'POSTPONE_CONNECTED_QP_TIMEOUT'], [0x101, 'QUERY_ADAPTER'], [0x740, 'QUERY_ESW_FUNCTIONS'], [0x100, 'QUERY_HCA_CAP'],
  [0x762, 'QUERY_HCA_VPORT_CONTEXT'], [0x10e, 'QUERY_OTHER_HCA_CAP'], [0x760, 'QUERY_ROCE_ADDRESS'], [0xb22, 'QUERY_VUID'], [0x109, 'SET_HCA_CAP'],
];

const READ_ONLY: [number, string][] = [
  [0x964, 'FPGA_QUERY_QP_COUNTERS'], [0x962, 'FPGA_QUERY_QP'], [0x80d, 'NOP'], [0x971, 'QUERY_AFU'], [0x813, 'QUERY_BURST_SIZE'], [0x981, 'QUERY_CAPI_PEC'],
  [0x824, 'QUERY_CONG_PARAMS'], [0x826, 'QUERY_CONG_STATISTICS'], [0x822, 'QUERY_CONG_STATUS'], [0x402, 'QUERY_CQ'], [0xb14, 'QUERY_CRYPTO_STATE'],
  [0x716, 'QUERY_DC_CNAK_TRACE'], [0x713, 'QUERY_DCT'], [0x911, 'QUERY_DELAY_DROP_PARAMS'], [0x821, 'QUERY_DIAGNOSTIC_COUNTERS'], [0x819, 'QUERY_DIAGNOSTIC_PARAMS'],
  [0xb28, 'QUERY_DPA_PARTITION'], [0xb2a, 'QUERY_DPA_PARTITIONS'], [0x10c, 'QUERY_DRIVER_VERSION'], [0xb03, 'QUERY_EMULATED_FUNCTIONS_INFO'],
  [0xb2f, 'QUERY_EMULATED_RESOURCES_INFO'], [0xb0f, 'QUERY_EMULATION_DEVICE_EQ_MSIX_MAPPING'], [0x303, 'QUERY_EQ'], [0x752, 'QUERY_ESW_VPORT_CONTEXT'],
  [0x93b, 'QUERY_FLOW_COUNTER'], [0x935, 'QUERY_FLOW_GROUP'], [0x937, 'QUERY_FLOW_TABLE_ENTRY'], [0x932, 'QUERY_FLOW_TABLE'], [0xa02, 'QUERY_GENERAL_OBJECT'],
  [0x764, 'QUERY_HCA_VPORT_GID'], [0x765, 'QUERY_HCA_VPORT_PKEY'], [0x10a, 'QUERY_ISSI'], [0x82a, 'QUERY_L2_TABLE_ENTRY'], [0x842, 'QUERY_LAG'],
  [0x80b, 'QUERY_MAD_DEMUX'], [0xb13, 'QUERY_MATCH_SAMPLE_INFO'], [0x201, 'QUERY_MKEY'], [0x942, 'QUERY_MODIFY_HEADER_CONTEXT'], [0x8001, 'QUERY_MTT'],
  [0x754, 'QUERY_NIC_VPORT_CONTEXT'], [0x722, 'QUERY_NVMF_BACKEND_CONTROLLER'], [0xb02, 'QUERY_NVMF_CC_RESPONSE'], [0x728, 'QUERY_NVMF_NAMESPACE_CONTEXT'],
  [0x93f, 'QUERY_PACKET_REFORMAT_CONTEXT'], [0x107, 'QUERY_PAGES'], [0x602, 'QUERY_PSV'], [0x773, 'QUERY_Q_COUNTER'], [0x50b, 'QUERY_QP'],
  [0x781, 'QUERY_RATE_LIMIT'], [0x512, 'QUERY_RDB'], [0xb05, 'QUERY_REGEXP_PARAMS'], [0xb07, 'QUERY_REGEXP_REGISTER'], [0x90f, 'QUERY_RMP'],
  [0x90b, 'QUERY_RQ'], [0x919, 'QUERY_RQT'], [0x8000, 'QUERY_RSV_RESOURCES'], [0x8006, 'QUERY_SCHED_QUEUE'], [0x784, 'QUERY_SCHEDULING_ELEMENT'],
  [0x111, 'QUERY_SF_PARTITION'], [0x203, 'QUERY_SPECIAL_CONTEXTS'], [0x907, 'QUERY_SQ'], [0x702, 'QUERY_SRQ'], [0x903, 'QUERY_TIR'], [0x915, 'QUERY_TIS'],
  [0xa05, 'QUERY_UCTX'], [0xa09, 'QUERY_UMEM'], [0x76f, 'QUERY_VNIC_ENV'], [0x770, 'QUERY_VPORT_COUNTER'], [0x750, 'QUERY_VPORT_STATE'],
  [0x831, 'QUERY_WOL_ROL'], [0x707, 'QUERY_XRC_SRQ'], [0x725, 'QUERY_XRQ_DC_PARAMS_ENTRY'], [0x727, 'QUERY_XRQ_ERROR_PARAMS'], [0x719, 'QUERY_XRQ'],
  [0xb08, 'USER_QUERY_XRQ_DC_PARAMS_ENTRY'], [0xb0a, 'USER_QUERY_XRQ_ERROR_PARAMS'],
];

export const MLX5_OPCODE = { QUERY_HCA_CAP: 0x100, QUERY_ADAPTER: 0x101, SET_HCA_CAP: 0x109, ACCESS_REG: 0x805, ACCESS_REGISTER_USER: 0xb0c, SET_DIAGNOSTIC_PARAMS: 0x820 } as const;

export const MLX5_ALLOWED: readonly Mlx5OpcodeRule[] = [
  ...CONFIG.map(([opcode, name]) => ({ opcode, name, scope: 'configuration' as Scope })),
  ...READ_ONLY.map(([opcode, name]) => ({ opcode, name, scope: 'debug-read-only' as Scope })),
  { opcode: MLX5_OPCODE.SET_DIAGNOSTIC_PARAMS, name: 'SET_DIAGNOSTIC_PARAMS', scope: 'debug-write' },
];

/**
 * The scope the kernel needs for a command, or null when it refuses it
 * (EBADMSG). ACCESS_REG/ACCESS_REGISTER_USER: op_mod 0 (write) is allowed at
 * any scope, reads need debug-read-only, exactly as the driver has it.
 */
export function mlx5RequiredScope(opcode: number, opMod: number): Scope | null {
  if (opcode === MLX5_OPCODE.ACCESS_REG || opcode === MLX5_OPCODE.ACCESS_REGISTER_USER) return opMod === 0 ? 'configuration' : 'debug-read-only';
  return MLX5_ALLOWED.find((r) => r.opcode === opcode)?.scope ?? null;
}

export function mlx5OpcodeName(opcode: number): string {
  if (opcode === MLX5_OPCODE.ACCESS_REG) return 'ACCESS_REG';
  if (opcode === MLX5_OPCODE.ACCESS_REGISTER_USER) return 'ACCESS_REGISTER_USER';
  return MLX5_ALLOWED.find((r) => r.opcode === opcode)?.name ?? `0x${opcode.toString(16)}`;
}
