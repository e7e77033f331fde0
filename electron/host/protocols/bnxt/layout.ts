// What the bnxt codec relies on from <fwctl/bnxt.h> and <fwctl/fwctl.h>. The
// HWRM message layouts come from the kernel-private include/linux/bnxt/hsi.h
// and are therefore not listed.
export const LAYOUT_CHECKS: { c: string; value: number }[] = [
  { c: 'sizeof(struct fwctl_info_bnxt)', value: 4 },
  { c: 'offsetof(struct fwctl_info_bnxt, uctx_caps)', value: 0 },
  { c: 'FWCTL_BNXT_INLINE_COMMANDS', value: 0 },
  { c: 'FWCTL_BNXT_QUERY_COMMANDS', value: 1 },
  { c: 'FWCTL_BNXT_SEND_COMMANDS', value: 2 },
  { c: 'FWCTL_DEVICE_TYPE_BNXT', value: 3 },
];

export const FWCTL_DEVICE_TYPE_BNXT = 3;
/** struct input (HWRM request header) and struct output (response header). */
export const HWRM_REQ_HDR_SIZE = 16;
export const HWRM_RESP_HDR_SIZE = 8;
export const HWRM_VER_GET = 0x0000;
