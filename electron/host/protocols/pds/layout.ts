// What the pds codec relies on from <fwctl/pds.h> and <fwctl/fwctl.h>. The
// endpoint/operation query formats live in the kernel-private
// include/linux/pds/pds_adminq.h and are therefore not listed.
export const LAYOUT_CHECKS: { c: string; value: number }[] = [
  { c: 'sizeof(struct fwctl_info_pds)', value: 4 },
  { c: 'offsetof(struct fwctl_info_pds, uctx_caps)', value: 0 },
  { c: 'PDS_FWCTL_QUERY_CAP', value: 0 },
  { c: 'PDS_FWCTL_SEND_CAP', value: 1 },
  { c: 'sizeof(struct fwctl_rpc_pds)', value: 48 },
  { c: 'offsetof(struct fwctl_rpc_pds, in.op)', value: 0 },
  { c: 'offsetof(struct fwctl_rpc_pds, in.ep)', value: 4 },
  { c: 'offsetof(struct fwctl_rpc_pds, in.rsvd)', value: 8 },
  { c: 'offsetof(struct fwctl_rpc_pds, in.len)', value: 12 },
  { c: 'offsetof(struct fwctl_rpc_pds, in.payload)', value: 16 },
  { c: 'offsetof(struct fwctl_rpc_pds, out)', value: 24 },
  { c: 'offsetof(struct fwctl_rpc_pds, out.retval)', value: 24 },
  { c: 'offsetof(struct fwctl_rpc_pds, out.rsvd)', value: 28 },
  { c: 'offsetof(struct fwctl_rpc_pds, out.len)', value: 36 },
  { c: 'offsetof(struct fwctl_rpc_pds, out.payload)', value: 40 },
  { c: 'FWCTL_DEVICE_TYPE_PDS', value: 4 },
];

export const FWCTL_DEVICE_TYPE_PDS = 4;
export const RPC_PDS_SIZE = 48;
