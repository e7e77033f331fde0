// What the mlx5 codec relies on from <fwctl/mlx5.h> and <fwctl/fwctl.h>.
// Command layouts come from the PRM via the kernel's mlx5_ifc.h (not uAPI),
// so they are not listed here.
export const LAYOUT_CHECKS: { c: string; value: number }[] = [
  { c: 'sizeof(struct fwctl_info_mlx5)', value: 8 },
  { c: 'offsetof(struct fwctl_info_mlx5, uid)', value: 0 },
  { c: 'offsetof(struct fwctl_info_mlx5, uctx_caps)', value: 4 },
  { c: 'FWCTL_DEVICE_TYPE_MLX5', value: 1 },
];

export const FWCTL_DEVICE_TYPE_MLX5 = 1;
/** struct mlx5_ifc_mbox_in_hdr_bits / _out_hdr_bits: 0x80 bits each. */
export const MBOX_HDR_SIZE = 16;
