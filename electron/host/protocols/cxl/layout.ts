// Every size, offset and constant the CXL codec relies on, as C expressions
// over the uAPI headers <fwctl/cxl.h> and <cxl/features.h>. The conformance
// test compiles these against the real headers, so only names those headers
// define belong here. Mailbox opcodes and return codes live in the kernel's
// private drivers/cxl/cxlmem.h (not uAPI) and are therefore not listed.
export interface LayoutCheck {
  c: string;
  value: number;
}

export const LAYOUT_CHECKS: LayoutCheck[] = [
  // <fwctl/cxl.h>: the RPC envelope
  { c: 'sizeof(struct fwctl_rpc_cxl)', value: 48 },
  { c: 'sizeof(struct fwctl_rpc_cxl_hdr)', value: 16 },
  { c: 'offsetof(struct fwctl_rpc_cxl, opcode)', value: 0 },
  { c: 'offsetof(struct fwctl_rpc_cxl, flags)', value: 4 },
  { c: 'offsetof(struct fwctl_rpc_cxl, op_size)', value: 8 },
  { c: 'offsetof(struct fwctl_rpc_cxl, reserved1)', value: 12 },
  { c: 'offsetof(struct fwctl_rpc_cxl, get_sup_feats_in)', value: 16 },
  { c: 'offsetof(struct fwctl_rpc_cxl, get_feat_in)', value: 16 },
  { c: 'offsetof(struct fwctl_rpc_cxl, set_feat_in)', value: 16 },
  { c: 'sizeof(struct fwctl_rpc_cxl_out)', value: 16 },
  { c: 'sizeof(struct fwctl_rpc_cxl_out_hdr)', value: 8 },
  { c: 'offsetof(struct fwctl_rpc_cxl_out, size)', value: 0 },
  { c: 'offsetof(struct fwctl_rpc_cxl_out, retval)', value: 4 },
  { c: 'offsetof(struct fwctl_rpc_cxl_out, get_sup_feats_out)', value: 8 },
  { c: 'offsetof(struct fwctl_rpc_cxl_out, payload)', value: 8 },

  // <cxl/features.h>: Get Supported Features
  { c: 'sizeof(struct cxl_mbox_get_sup_feats_in)', value: 8 },
  { c: 'offsetof(struct cxl_mbox_get_sup_feats_in, count)', value: 0 },
  { c: 'offsetof(struct cxl_mbox_get_sup_feats_in, start_idx)', value: 4 },
  { c: 'sizeof(struct cxl_mbox_get_sup_feats_out)', value: 8 },
  { c: 'offsetof(struct cxl_mbox_get_sup_feats_out, num_entries)', value: 0 },
  { c: 'offsetof(struct cxl_mbox_get_sup_feats_out, supported_feats)', value: 2 },
  { c: 'offsetof(struct cxl_mbox_get_sup_feats_out, ents)', value: 8 },
  { c: 'sizeof(struct cxl_feat_entry)', value: 48 },
  { c: 'offsetof(struct cxl_feat_entry, uuid)', value: 0 },
  { c: 'offsetof(struct cxl_feat_entry, id)', value: 16 },
  { c: 'offsetof(struct cxl_feat_entry, get_feat_size)', value: 18 },
  { c: 'offsetof(struct cxl_feat_entry, set_feat_size)', value: 20 },
  { c: 'offsetof(struct cxl_feat_entry, flags)', value: 22 },
  { c: 'offsetof(struct cxl_feat_entry, get_feat_ver)', value: 26 },
  { c: 'offsetof(struct cxl_feat_entry, set_feat_ver)', value: 27 },
  { c: 'offsetof(struct cxl_feat_entry, effects)', value: 28 },
  { c: 'offsetof(struct cxl_feat_entry, reserved)', value: 30 },
  { c: 'CXL_FEATURE_F_CHANGEABLE', value: 1 << 0 },
  { c: 'CXL_FEATURE_F_PERSIST_FW_UPDATE', value: 1 << 4 },
  { c: 'CXL_FEATURE_F_DEFAULT_SEL', value: 1 << 5 },
  { c: 'CXL_FEATURE_F_SAVED_SEL', value: 1 << 6 },

  // Set Feature Effects (CXL r3.2 Table 8-87)
  { c: 'CXL_CMD_CONFIG_CHANGE_COLD_RESET', value: 1 << 0 },
  { c: 'CXL_CMD_CONFIG_CHANGE_IMMEDIATE', value: 1 << 1 },
  { c: 'CXL_CMD_DATA_CHANGE_IMMEDIATE', value: 1 << 2 },
  { c: 'CXL_CMD_POLICY_CHANGE_IMMEDIATE', value: 1 << 3 },
  { c: 'CXL_CMD_LOG_CHANGE_IMMEDIATE', value: 1 << 4 },
  { c: 'CXL_CMD_SECURITY_STATE_CHANGE', value: 1 << 5 },
  { c: 'CXL_CMD_BACKGROUND', value: 1 << 6 },
  { c: 'CXL_CMD_BGCMD_ABORT_SUPPORTED', value: 1 << 7 },
  { c: 'CXL_CMD_EFFECTS_VALID', value: 1 << 9 },
  { c: 'CXL_CMD_CONFIG_CHANGE_CONV_RESET', value: 1 << 10 },
  { c: 'CXL_CMD_CONFIG_CHANGE_CXL_RESET', value: 1 << 11 },
  { c: 'CXL_CMD_EFFECTS_RESERVED', value: 0xf000 },

  // Get Feature
  { c: 'sizeof(struct cxl_mbox_get_feat_in)', value: 21 },
  { c: 'offsetof(struct cxl_mbox_get_feat_in, uuid)', value: 0 },
  { c: 'offsetof(struct cxl_mbox_get_feat_in, offset)', value: 16 },
  { c: 'offsetof(struct cxl_mbox_get_feat_in, count)', value: 18 },
  { c: 'offsetof(struct cxl_mbox_get_feat_in, selection)', value: 20 },
  { c: 'CXL_GET_FEAT_SEL_CURRENT_VALUE', value: 0 },
  { c: 'CXL_GET_FEAT_SEL_DEFAULT_VALUE', value: 1 },
  { c: 'CXL_GET_FEAT_SEL_SAVED_VALUE', value: 2 },
  { c: 'CXL_GET_FEAT_SEL_MAX', value: 3 },

  // Set Feature
  { c: 'sizeof(struct cxl_mbox_set_feat_in)', value: 32 },
  { c: 'sizeof(struct cxl_mbox_set_feat_hdr)', value: 32 },
  { c: 'offsetof(struct cxl_mbox_set_feat_in, uuid)', value: 0 },
  { c: 'offsetof(struct cxl_mbox_set_feat_in, flags)', value: 16 },
  { c: 'offsetof(struct cxl_mbox_set_feat_in, offset)', value: 20 },
  { c: 'offsetof(struct cxl_mbox_set_feat_in, version)', value: 22 },
  { c: 'offsetof(struct cxl_mbox_set_feat_in, rsvd)', value: 23 },
  { c: 'offsetof(struct cxl_mbox_set_feat_in, feat_data)', value: 32 },
  { c: 'CXL_SET_FEAT_FLAG_FULL_DATA_TRANSFER', value: 0 },
  { c: 'CXL_SET_FEAT_FLAG_INITIATE_DATA_TRANSFER', value: 1 },
  { c: 'CXL_SET_FEAT_FLAG_CONTINUE_DATA_TRANSFER', value: 2 },
  { c: 'CXL_SET_FEAT_FLAG_FINISH_DATA_TRANSFER', value: 3 },
  { c: 'CXL_SET_FEAT_FLAG_ABORT_DATA_TRANSFER', value: 4 },
  { c: 'CXL_SET_FEAT_FLAG_DATA_TRANSFER_MAX', value: 5 },
  { c: 'CXL_SET_FEAT_FLAG_DATA_TRANSFER_MASK', value: 0x7 },
  { c: 'CXL_SET_FEAT_FLAG_DATA_SAVED_ACROSS_RESET', value: 1 << 3 },

  // <fwctl/fwctl.h>: the device type this codec answers to
  { c: 'FWCTL_DEVICE_TYPE_CXL', value: 2 },
];

/** Sizes and offsets used by the codec, named once so the code reads like the header. */
export const RPC_HDR_SIZE = 16;
export const RPC_OUT_HDR_SIZE = 8;
/** sizeof(struct fwctl_rpc_cxl_out): the kernel adds it to every reply length. */
export const RPC_OUT_STRUCT_SIZE = 16;
export const GET_SUP_FEATS_IN_SIZE = 8;
export const GET_SUP_FEATS_OUT_HDR_SIZE = 8;
export const FEAT_ENTRY_SIZE = 48;
export const GET_FEAT_IN_SIZE = 21;
export const SET_FEAT_HDR_SIZE = 32;
export const FWCTL_DEVICE_TYPE_CXL = 2;

/**
 * CXL mailbox opcodes the kernel lets through fwctl (drivers/cxl/cxlmem.h,
 * enum cxl_opcode; CXL r3.2 8.2.10.6). Not uAPI, hence not in LAYOUT_CHECKS.
 */
export const CxlOpcode = {
  GetSupportedFeatures: 0x0500,
  GetFeature: 0x0501,
  SetFeature: 0x0502,
} as const;

export const SetFeatTransfer = { Full: 0, Initiate: 1, Continue: 2, Finish: 3, Abort: 4 } as const;
export type SetFeatTransferValue = (typeof SetFeatTransfer)[keyof typeof SetFeatTransfer];
export const SET_FEAT_TRANSFER_MASK = 0x7;
export const SET_FEAT_SAVED_ACROSS_RESET = 1 << 3;

export const FeatureFlag = { Changeable: 1 << 0, PersistFwUpdate: 1 << 4, DefaultSel: 1 << 5, SavedSel: 1 << 6 } as const;

export const Effect = {
  ConfigChangeColdReset: 1 << 0,
  ConfigChangeImmediate: 1 << 1,
  DataChangeImmediate: 1 << 2,
  PolicyChangeImmediate: 1 << 3,
  LogChangeImmediate: 1 << 4,
  SecurityStateChange: 1 << 5,
  Background: 1 << 6,
  BackgroundAbortSupported: 1 << 7,
  EffectsValid: 1 << 9,
  ConfigChangeConvReset: 1 << 10,
  ConfigChangeCxlReset: 1 << 11,
} as const;
export const EFFECTS_RESERVED = 0xf000;
/** Bits the kernel treats as "changes something now" (features.c, imm_mask). */
export const EFFECTS_IMMEDIATE =
  Effect.ConfigChangeImmediate | Effect.DataChangeImmediate | Effect.PolicyChangeImmediate | Effect.LogChangeImmediate;
/** Bits the kernel treats as "changes something at the next reset" (features.c, reset_mask). */
export const EFFECTS_RESET = Effect.ConfigChangeColdReset | Effect.ConfigChangeConvReset | Effect.ConfigChangeCxlReset;
